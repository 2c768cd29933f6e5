from django.urls import path

from podium.cfp import material_views, views

app_name = "cfp"
urlpatterns = [
    path("cfp/", views.cfp, name="cfp"),
    path("cfp/submit/", views.submit, name="submit"),
    path("me/", views.my_proposals, name="my_proposals"),
    path("me/profile/", views.profile, name="profile"),
    path("me/answers/<int:answer>/file/", views.answer_file, name="answer_file"),
    path("me/proposals/<str:code>/", views.proposal, name="proposal"),
    path("me/proposals/<str:code>/material/", material_views.material, name="material"),
    path("me/proposals/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("me/proposals/<str:code>/invite/", views.invite, name="invite_cospeaker"),
    path("me/proposals/<str:code>/confirm/", views.confirm_logged_in, name="confirm_logged_in"),
    path("invite/<str:token>/", views.accept_invite, name="invite"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
