from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    # The e-mailed link; answering needs no sign-in (the token is the credential).
    path("answer/<slug:token>/", views.survey_answer_by_token, name="answer"),
    path("responses/<int:pk>/", views.survey_answer_signed_in, name="response-answer"),
    path("projects/<int:project_pk>/", views.project_survey_list, name="project-surveys"),
]
