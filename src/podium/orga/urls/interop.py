"""Back-office URLs of interop (filled in by its views)."""

urlpatterns = []
