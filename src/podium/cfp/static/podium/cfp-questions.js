// CfP questions limited to some tracks or session types: shown only while one of them is chosen.
// Without this script every question shows (with the tracks it is asked for); the server decides.
(function () {
  "use strict";
  function update(form) {
    var track = form.querySelector("[name=track]");
    var type = form.querySelector("[name=session_type]");
    form.querySelectorAll("[data-question]").forEach(function (box) {
      var tracks = (box.dataset.tracks || "").split(" ").filter(Boolean);
      var types = (box.dataset.sessionTypes || "").split(" ").filter(Boolean);
      var fits = (!tracks.length || !track || tracks.indexOf(track.value) !== -1) &&
        (!types.length || !type || types.indexOf(type.value) !== -1);
      box.hidden = !fits;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-questions]").forEach(function (form) {
      update(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "track" || event.target.name === "session_type") update(form);
      });
    });
  });
})();
