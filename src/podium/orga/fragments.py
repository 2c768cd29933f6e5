"""The one way a script of ours asks a back-office view for a fragment instead of a whole page.

The schedule editor's script (orga/static/podium/editor.js) sends `X-Podium-Fragment: 1` with the
moves it posts; the view then answers with the part of the page the script swaps in. Without the
header (a plain form, a browser without the script) the same view answers as for a page.
"""

FRAGMENT_HEADER = "X-Podium-Fragment"


def wants_fragment(request) -> bool:
    """Whether the request carries `X-Podium-Fragment: 1`."""
    return request.headers.get(FRAGMENT_HEADER) == "1"
