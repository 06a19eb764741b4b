"""Survey pages: a response opened by its token link (no sign-in: the token is the
credential) or by its respondent signed in, answered with one click; and the PM's list
of who was asked and who answered, for a project."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from projects.models import Project
from studio.pages import page_or_fragment
from studio.permissions import get_visible_or_404, require

from ..models import SurveyResponse
from .forms import SurveyAnswerForm
from .services import (
    SurveyClosed,
    SurveyState,
    last_day,
    project_surveys,
    responses_to_answer,
    state_of,
    survey_answer,
)

TEMPLATE = "metrics/surveys/answer.html"


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: whoever holds it answers for its respondent, once."""
    # Found by the unique index on the token: an unknown one is a 404 like any other page.
    response = get_object_or_404(responses_to_answer(), token=token)
    page = _answer(request, response)
    # The URL is a secret: keep it out of search engines and of other sites' logs.
    page["X-Robots-Tag"] = "noindex, nofollow"
    page["Referrer-Policy"] = "no-referrer"
    return page


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer_signed_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The same page for its respondent, signed in; nobody else's response exists here."""
    response = get_object_or_404(responses_to_answer(), pk=pk, respondent=request.user)
    return _answer(request, response)


def _answer(request: HttpRequest, response: SurveyResponse) -> HttpResponse:
    form, status, just_answered = SurveyAnswerForm(), 200, False
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST)
        if state_of(response) != SurveyState.OPEN:
            status = 409  # a second tab, a double click, a reused link: nothing changes
        elif not form.is_valid():
            status = 400
        else:
            try:
                response = survey_answer(response=response, **form.cleaned_data)
                just_answered = True
            except SurveyClosed as closed:  # answered meanwhile, in another tab
                response, status = closed.response, 409
            except ValidationError as invalid:
                form.add_error(None, invalid)
                status = 400
    context = {
        "response": response, "survey": response.survey, "state": state_of(response), "form": form,
        "just_answered": just_answered, "last_day": last_day(response.survey), "action_url": request.path,
    }
    return render(request, page_or_fragment(request, TEMPLATE, "survey"), context, status=status)


@login_required
@require_GET
def project_survey_list(request: HttpRequest, project_pk: int) -> HttpResponse:
    """Who was asked to rate the project's work, who answered and how; who was reminded."""
    project = get_visible_or_404(Project.objects.select_related("brand"), request.user, pk=project_pk)
    require(request.user, "survey.view")
    context = {"project": project, "surveys": project_surveys(project=project, user=request.user)}
    return render(request, "metrics/surveys/project_surveys.html", context)
