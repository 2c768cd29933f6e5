"""Every main page, as each role sees it in Chromium: landmarks, one h1, a name for every control and image,
and the skip link as the first thing the keyboard reaches."""

import pytest

from podium.accounts.models import User
from podium.cfp import services as cfp
from podium.proposals.models import Tag
from podium.reviews.models import Review
from podium.scheduling import runs
from tests import factories, program
from tests.browser.actions import PASSWORD, log_in, next_frames

pytestmark = pytest.mark.browser

# Runs in the page: what a screen-reader or keyboard user would miss.
AUDIT = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push("html without lang");
  if (!document.querySelector("main")) problems.push("no <main> landmark");
  if (!document.querySelector("nav[aria-label]")) problems.push("no labelled <nav>");
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} h1 elements`);
  const controls = document.querySelectorAll("input:not([type=hidden]), select, textarea, button");
  for (const el of controls) {
    const labelled = (el.labels && el.labels.length) || el.getAttribute("aria-label")
      || el.getAttribute("aria-labelledby") || el.getAttribute("title")
      || (el.tagName === "BUTTON" && el.textContent.trim());
    if (!labelled) problems.push(`unnamed ${el.tagName.toLowerCase()} ${el.name || el.id || el.outerHTML.slice(0, 60)}`);
  }
  for (const img of document.querySelectorAll("img:not([alt])")) problems.push(`img without alt ${img.src}`);
  for (const a of document.querySelectorAll("a")) {
    if (!a.textContent.trim() && !a.getAttribute("aria-label")) problems.push(`empty link ${a.href}`);
  }
  // Text contrast (WCAG AA: 4.5:1, 3:1 for large text) against the first opaque background behind it.
  const rgb = (c) => { const m = c.match(/[0-9.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length < 4 || c[3] > 0.9) return c;
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === "hidden" || style.display === "none" || !el.getClientRects().length) continue;
    const fg = rgb(style.color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const key = `${el.tagName}.${el.className}`;
    if (ratio < needed && !seen.has(key)) {
      seen.add(key);
      problems.push(`low contrast ${ratio.toFixed(2)}:1 on ${key} "${el.textContent.trim().slice(0, 30)}"`);
    }
  }
  return problems;
}"""


def _pages_of(event, proposal, published):
    e, code = event.slug, proposal.code
    talk, speaker, lunch = published["talk"].code, published["speaker"], published["break"].pk
    return {
        "anonymous": [
            "/",
            f"/{e}/",
            f"/{e}/cfp/",
            f"/{e}/schedule/",
            f"/{e}/schedule/?view=list",
            f"/{e}/widget/",
            f"/{e}/talks/",
            f"/{e}/talk/{talk}/",
            f"/{e}/speakers/",
            f"/{e}/speaker/{speaker}/",
            f"/{e}/releases/",
            f"/{e}/rooms/now",
            f"/{e}/rooms/{event.rooms.get(name='Hall A').uuid}/now",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password-reset/",
        ],
        "speaker": [
            "/accounts/",
            f"/{e}/me/",
            f"/{e}/me/profile/",
            f"/{e}/me/proposals/{code}/",
            f"/{e}/me/proposals/{code}/material/",
            f"/{e}/cfp/submit/",
            f"/{e}/agenda/",
        ],
        "reviewer": [
            f"/orga/event/{e}/reviews/",
            f"/orga/event/{e}/review/{code}/",
            f"/orga/event/{e}/reviews/conflicts/",
            f"/orga/event/{e}/proposals/",
        ],
        "admin": [
            f"/orga/event/{e}/",
            f"/orga/event/{e}/settings/",
            f"/orga/event/{e}/branding/",
            f"/orga/event/{e}/rooms/",
            f"/orga/event/{e}/rooms/new/",
            f"/orga/event/{e}/tracks/",
            f"/orga/event/{e}/session-types/",
            f"/orga/event/{e}/cfp-questions/",
            f"/orga/event/{e}/cfp-questions/new/",
            f"/orga/event/{e}/cfp-questions/{published['question']}/",
            f"/orga/event/{e}/proposals/",
            f"/orga/event/{e}/proposals/{code}/",
            f"/orga/event/{e}/proposals/{code}/edit/",
            f"/orga/event/{e}/proposals/{code}/material/",
            f"/orga/event/{e}/tags/",
            f"/orga/event/{e}/tags/{published['tag']}/",
            f"/orga/event/{e}/copy/",
            f"/orga/event/{e}/reviews/overview/",
            f"/orga/event/{e}/reviews/settings/",
            f"/orga/event/{e}/reviews/assignments/",
            f"/orga/event/{e}/outbox/",
            f"/orga/organiser/{event.organiser.slug}/",
            f"/orga/organiser/{event.organiser.slug}/teams/",
            f"/orga/event/{e}/schedule/",
            f"/orga/event/{e}/schedule/session/{talk}/",
            f"/orga/event/{e}/schedule/breaks/new/",
            f"/orga/event/{e}/schedule/breaks/{lunch}/",
            f"/orga/event/{e}/schedule/release/",
            f"/orga/event/{e}/schedule/solver/{published['run'].uuid}/",
            f"/orga/event/{e}/day-of/",
            f"/orga/event/{e}/print/",
            f"/orga/event/{e}/import/",
            f"/orga/event/{e}/webhooks/",
            f"/orga/event/{e}/webhooks/new/",
            f"/orga/organiser/{event.organiser.slug}/tokens/",
            f"/orga/event/{e}/checkin/",
            f"/orga/event/{e}/checkin/?q=Ada",
            f"/orga/event/{e}/checkin/figures/",
        ],
    }


def test_main_pages_have_landmarks_and_named_controls(page, event, settings):
    speaker = User.objects.create_user(email="sid@example.org", name="Sid Speaker", password=PASSWORD)
    reviewer = factories.team_member(
        event,
        User.objects.create_user(email="rae@example.org", name="Rae", password=PASSWORD),
        can_review=True,
    )
    admin = factories.team_member(
        event,
        User.objects.create_user(email="ada@example.org", name="Ada", password=PASSWORD),
        name="Admins",
        is_admin=True,
        can_edit_event=True,
        can_send_mail=True,
        can_schedule=True,
        can_check_in=True,
    )
    proposal = factories.ProposalFactory(event=event, speakers=[speaker])
    Review.objects.create(proposal=proposal, reviewer=admin, score=2)
    released = program.placed_talk(
        event, "Released talk", "Hall A", program.at(event, 10), admin, speakers=[speaker]
    )
    lunch = program.lunch(event, admin)
    program.release(event, admin)
    settings.PODIUM_SOLVER_RUNNER = "inline"
    run = runs.start_run(event=event, mode="fill", time_limit=1, keep_pinned=True, by=admin)
    # CfP questions of every kind: the speaker's forms and the set-up pages show them.
    question = cfp.save_question(
        event=event, by=None, data={"label": "Which framework?", "kind": "choice", "choices": "Django\nFlask"}
    )
    for kind, extra in (
        ("long_text", {}),
        ("number", {}),
        ("boolean", {}),
        ("file", {"file_types": ["pdf"]}),
    ):
        cfp.save_question(event=event, by=None, data={"label": f"A {kind} question", "kind": kind, **extra})
    cfp.save_question(
        event=event,
        by=None,
        data={"label": "Topics", "kind": "multiple", "choices": "Web\nData", "target": "speaker"},
    )
    published = {
        "talk": released,
        "speaker": program.speaker_code(released),
        "break": lunch,
        "run": run,
        "question": question.pk,
        "tag": Tag.objects.create(event=event, name="Beginner friendly", public=True).pk,
    }
    users = {"speaker": speaker, "reviewer": reviewer, "admin": admin}
    problems = {}

    for role, urls in _pages_of(event, proposal, published).items():
        if role != "anonymous":
            page.context.clear_cookies()
            log_in(page, email=users[role].email)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, f"{role} {url}: {response.status}"
            found = page.evaluate(AUDIT)
            # Pages that put the focus in their form on purpose (autofocus) skip the skip link. The
            # browser applies autofocus at a rendering update after the load: wait for two frames, or
            # the focus may land in the field between this check and the Tab.
            next_frames(page)
            if page.evaluate("document.activeElement === document.body"):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.className") != "skip-link":
                    found.append("the first Tab does not reach the skip link")
            if found:
                problems[f"{role} {url}"] = found

    assert problems == {}
