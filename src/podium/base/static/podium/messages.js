// The words a page's scripts show, in the page's language. `podiumMessages(name, english)` gives the
// script's English texts with the page's "<name>-messages" data block over them (the block
// `{% script_messages name %}` renders); English alone where the page has none. Loaded before the
// scripts that use it.
window.podiumMessages = (name, english) => {
  const text = english;
  try {
    Object.assign(text, JSON.parse(document.getElementById(`${name}-messages`).textContent));
  } catch (error) {
    // no data on this page: English
  }
  return text;
};
