from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from podium.accounts import services
from podium.accounts.forms import LoginForm, PasswordResetRequestForm, SignUpForm
from podium.base.clientip import client_address
from podium.base.permissions import login_required, public, token
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


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_redirect_url(self):
        return onward(super().get_redirect_url(), self.request)

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
            )
        except services.SignUpError as exc:
            form.add_error("email", str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Podium. Your account is ready.")
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
    """Where a log-in lands: the user's events as organiser, reviewer and speaker."""
    return render(request, "accounts/home.html", {"roles": events_for_user(request.user)})
