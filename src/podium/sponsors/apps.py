from django.apps import AppConfig


class SponsorsConfig(AppConfig):
    name = "podium.sponsors"
    label = "sponsors"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from podium.events.models import Track
        from podium.sponsors import public
        from podium.sponsors.models import Organisation, SponsorLevel, Sponsorship

        # The public sponsors (pages, marks, logos) are cached: every change to what they show drops them.
        for model in (Sponsorship, SponsorLevel):
            post_save.connect(public.on_event_row_changed, sender=model, dispatch_uid="sponsors.public")
            post_delete.connect(public.on_event_row_changed, sender=model, dispatch_uid="sponsors.public")
        post_delete.connect(public.on_event_row_changed, sender=Track, dispatch_uid="sponsors.public")
        post_save.connect(public.on_organisation_saved, sender=Organisation, dispatch_uid="sponsors.public")

        from podium.events import copying
        from podium.sponsors.copying import copy_sponsor_levels

        copying.register(copy_sponsor_levels)
