from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "podium.site"
    label = "site"

    def ready(self):
        from podium.schedule import signals
        from podium.site import fastpath, release_files

        # A published release's files are written after its commit (release_files.py).
        signals.release_published.connect(
            release_files.on_release_published, dispatch_uid="site.release_files"
        )
        # What the fast path in front of Django may serve follows every change it depends on.
        fastpath.connect()
