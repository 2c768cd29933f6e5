from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "podium.reviews"
    label = "reviews"

    def ready(self):
        from podium.events import copying
        from podium.proposals.rules import VISIBILITY_LIMITS
        from podium.reviews.rules import limit_to_assigned
        from podium.reviews.services import copy_review_settings

        copying.register(copy_review_settings)

        if limit_to_assigned not in VISIBILITY_LIMITS:
            VISIBILITY_LIMITS.append(limit_to_assigned)
