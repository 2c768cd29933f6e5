from django.conf import settings


def podium(request):
    return {"PODIUM_BASE_URL": settings.BASE_URL}
