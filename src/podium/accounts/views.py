from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt

from podium.accounts import services
from podium.accounts.forms import LanguageForm, LoginForm, PasswordResetRequestForm, SignUpForm
from podium.base.clientip import client_address
from podium.base.errors import ServiceError
from podium.base.permissions import login_required, public, token
from podium.base.translated import language_for
from podium.events.queries import events_for_user

# Pages that only get a visitor in: after logging in or signing up, going on to one of them would show
# a logged-in user a form they no longer need.
ENTRY_PAGES = ("accounts:login", "accounts:signup")


def onward(target: str, request) -> str:
    """Where a log-in or sign-up goes on to: `target` if it is on this site, and past the log-in and
    sign-up pages to where they were going (the header's "Sign up" on the log-in page that "Submit a
    proposal" led to names the log-in page as its `next`); "" when there is nowhere to go on to."""
    entry_paths = {reverse(name) for name in ENTRY_PAGES}
    for _hop in range(5):
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return ""
        parts = urlsplit(target)
        if parts.path not in entry_paths:
            return target
        target = parse_qs(parts.query).get("next", [""])[0]
    return ""


def _safe_next(request, fallback):
    return onward(request.POST.get("next") or request.GET.get("next") or "", request) or fallback


def remember_language(response, language: str):
    """Keep `language` in the language cookie (the one LocaleMiddleware and the release files' fast path
    read first); "" forgets it, and the browser's language speaks again."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def _chosen_language(request) -> str:
    """The language the visitor chose with the switch (the cookie), "" when they chose none."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in dict(settings.LANGUAGES) else ""


# Without a CSRF token: the switch is on pages served the same to every visitor (the release files), which
# carry no token. Forcing someone's language from another site is all a forged post could do, and the
# session cookie (SameSite=Lax) does not go with it, so no account's language changes that way.
@public
@csrf_exempt
def set_language(request):
    """Django's set_language (the cookie, then back to `next`); a logged-in user keeps the language as theirs."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_language(user=request.user, language=language)
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_redirect_url(self):
        return onward(super().get_redirect_url(), self.request)

    def form_valid(self, form):
        """A user who chose a language keeps it on this browser too (the cookie)."""
        response = super().form_valid(form)
        language = form.get_user().language
        return remember_language(response, language) if language else response

    def get_initial(self):
        """The address an invitation was sent to, when its page links here with `email`."""
        return {"username": self.request.GET.get("email", "")[:254]}


login_view = public(LoginView.as_view())
logout_view = public(auth_views.LogoutView.as_view())


@public
def signup(request):
    form = SignUpForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password"],
                language=_chosen_language(request),
            )
        except services.SignUpError as exc:
            form.add_error("email", str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Podium. Your account is ready."))
            return redirect(_safe_next(request, reverse_lazy("accounts:home")))
    going_to = onward(request.POST.get("next") or request.GET.get("next") or "", request)
    return render(request, "accounts/signup.html", {"form": form, "next": going_to})


@public
def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(email=form.cleaned_data["email"], client=client_address(request))
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


@public
def password_reset_done(request):
    return render(request, "accounts/password_reset_done.html")


password_reset_confirm = token(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)


@login_required
def home(request):
    """Where a log-in lands: the user's events as organiser, reviewer and speaker, and their language."""
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            services.set_language(user=request.user, language=language)
        except ServiceError as exc:
            form.add_error("language", exc.message)
        else:
            # Said in the language now chosen (the browser's when it is "").
            browser = language_for(cookie=None, accept_language=request.headers.get("Accept-Language"))
            with translation.override(language or browser):
                messages.success(request, _("Your language is saved."))
            return remember_language(redirect("accounts:home"), language)
    return render(
        request, "accounts/home.html", {"roles": events_for_user(request.user), "language_form": form}
    )
