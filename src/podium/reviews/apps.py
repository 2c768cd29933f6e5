from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "podium.reviews"
    label = "reviews"
