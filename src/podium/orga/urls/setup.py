"""Event set-up and team routes."""

urlpatterns = []
