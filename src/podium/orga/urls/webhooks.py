"""Back-office URLs of webhooks (filled in by its views)."""

urlpatterns = []
