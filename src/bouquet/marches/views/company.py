"""Company accounts: sign-up, login (the platform's login page), the company's space, questions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouquet.marches.companies import company_for
from bouquet.marches.errors import MarchesError
from bouquet.marches.forms import CompanySignUpForm, QuestionForm
from bouquet.marches.models import Download, Question
from bouquet.marches.services.questions import ask_question
from bouquet.marches.services.sign_up_company import CompanySignUp, sign_up_company
from bouquet.marches.views.public import public_consultation

LOGIN_BACKEND = "bouquet.core.auth.EmailBackend"


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if company_for(request.user) is not None:
        return redirect("marches_public:company_home")
    form = CompanySignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            membership = sign_up_company(CompanySignUp(**data))
        except MarchesError as error:
            for field, texts in getattr(error, "errors", {}).items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
            if not getattr(error, "errors", None):
                messages.error(request, error.message)
        else:
            login(request, membership.user, backend=LOGIN_BACKEND)
            messages.success(request, f"Compte créé pour {membership.company.name}. Bienvenue !")
            return redirect(request.GET.get("next") or reverse("marches_public:company_home"))
    return render(request, "marches/public/sign_up.html", {"form": form})


@require_GET
def company_login(request: HttpRequest) -> HttpResponse:
    """The platform's login page (lockout, second factor, journal), coming back here afterwards."""
    target = request.GET.get("next") or reverse("marches_public:company_home")
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("marches_public:company_home")
    return redirect(f"{reverse('web:login')}?{urlencode({'next': target})}")


@login_required
@require_GET
def company_home(request: HttpRequest) -> HttpResponse:
    company = company_for(request.user)
    if company is None:
        return render(request, "marches/public/no_company.html", status=403)
    questions = Question.objects.filter(company=company).select_related("consultation").order_by("-asked_at")
    downloads = (
        Download.objects.filter(company=company).select_related("consultation", "file").order_by("-at")[:50]
    )
    context = {"company": company, "questions": questions, "downloads": downloads}
    return render(request, "marches/public/company_home.html", context)


@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    item = public_consultation(pk)
    if not request.user.is_authenticated:
        messages.error(request, "Pour poser une question, connectez-vous avec un compte entreprise.")
        return redirect("marches_public:consultation", item.pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Écrivez votre question (5 000 caractères au plus).")
        return redirect("marches_public:consultation", item.pk)
    try:
        ask_question(consultation=item, user=request.user, text=form.cleaned_data["text"])
    except MarchesError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Question envoyée à l'acheteur. La réponse sera publiée pour toutes les entreprises."
        )
    return redirect("marches_public:consultation", item.pk)
