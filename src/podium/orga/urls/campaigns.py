"""Back-office URLs of mail campaigns: campaigns, their log, templates, audiences, one address's mail."""

from django.urls import path

from podium.orga.views import campaigns

E = "event/<slug:event>/campaigns/"
urlpatterns = [
    path(E, campaigns.campaigns, name="campaigns"),
    path(E + "new/", campaigns.campaign_new, name="campaign_new"),
    path(E + "<int:pk>/", campaigns.campaign, name="campaign"),
    path(E + "<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path(E + "<int:pk>/action/", campaigns.campaign_action, name="campaign_action"),
    path(E + "<int:pk>/recipients/", campaigns.campaign_recipients, name="campaign_recipients"),
    path(E + "templates/", campaigns.templates, name="campaign_templates"),
    path(E + "templates/new/", campaigns.template_edit, name="campaign_template_new"),
    path(E + "templates/<int:pk>/", campaigns.template_edit, name="campaign_template"),
    path(E + "audiences/", campaigns.audience_list, name="campaign_audiences"),
    path(E + "audiences/new/", campaigns.audience_edit, name="campaign_audience_new"),
    path(E + "audiences/<int:pk>/", campaigns.audience_edit, name="campaign_audience"),
    path(E + "people/", campaigns.person, name="campaign_person"),
    path(E + "people/resubscribe/", campaigns.resubscribe, name="campaign_resubscribe"),
]
