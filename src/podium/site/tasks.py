"""The Celery task that writes a release's files (podium.site.release_files) in the worker. Writing is
idempotent (the same release gives the same directory), so running it twice does no harm."""

from podium.celery import app
from podium.site import release_files


@app.task(name="podium.site.render_release", acks_late=True, soft_time_limit=600, time_limit=660)
def render_release_files(release_id: int) -> int:
    """Write the files of one release; returns how many there are (0 when the release is gone)."""
    rendered = release_files.render_by_id(release_id)
    return rendered.files if rendered else 0
