"""Staff two-step verification, session timeouts and security headers."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/mfa/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post("/accounts/mfa/setup/", {"token": current_code(device)})
    assert done.status_code == 200
    return device, done.context["codes"]


def test_staff_without_an_authenticator_must_enrol_before_the_admin(client):
    staff = StaffFactory(is_superuser=True)
    login(client, staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/setup/")
    assert client.get("/dashboard/")["Location"].startswith("/accounts/mfa/setup/")
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "mfa_required"


def test_enrolment_with_a_wrong_code_is_refused(client):
    login(client, StaffFactory())
    client.get("/accounts/mfa/setup/")
    response = client.post("/accounts/mfa/setup/", {"token": "000000"})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_enrolment_verifies_the_session_and_gives_ten_single_use_recovery_codes(client):
    staff = StaffFactory(is_superuser=True)
    login(client, staff)
    device, codes = enrol(client)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_a_later_login_needs_the_code_and_a_recovery_code_works_once(client, clock):
    staff = StaffFactory(is_superuser=True)
    login(client, staff)
    _device, codes = enrol(client)
    client.post("/accounts/logout/")

    login(client, staff)
    assert client.get("/admin/")["Location"].startswith("/accounts/mfa/verify/")
    wrong = client.post("/accounts/mfa/verify/", {"token": "123456"})
    assert "token" in wrong.context["form"].errors
    clock.shift(timedelta(seconds=5))  # django-otp slows down guessing after a failure
    ok = client.post("/accounts/mfa/verify/", {"token": codes[0], "next": "/admin/"})
    assert ok["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.count() == 9

    client.post("/accounts/logout/")
    login(client, staff)
    reused = client.post("/accounts/mfa/verify/", {"token": codes[0]})
    assert "token" in reused.context["form"].errors


def test_an_unverified_session_cannot_replace_the_authenticator(client):
    staff = StaffFactory()
    login(client, staff)
    enrol(client)
    client.post("/accounts/logout/")
    login(client, staff)
    response = client.get("/accounts/mfa/setup/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/verify/"
    assert client.post("/accounts/mfa/turn-off/")["Location"] == "/accounts/mfa/verify/"
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1


def test_verification_redirect_refuses_foreign_next_urls(client):
    staff = StaffFactory()
    login(client, staff)
    _device, codes = enrol(client)
    client.post("/accounts/logout/")
    login(client, staff)
    response = client.post(
        "/accounts/mfa/verify/", {"token": codes[1], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/dashboard/"


def test_patients_need_no_mfa_but_may_opt_in_and_turn_it_off(client, clock):
    patient = PatientFactory()
    login(client, patient)
    assert client.get("/dashboard/").status_code == 200
    enrol(client)
    client.post("/accounts/logout/")
    clock.shift(timedelta(seconds=31))  # a code is accepted once; wait for the next one
    login(client, patient)
    assert client.get("/dashboard/")["Location"].startswith("/accounts/mfa/verify/")
    device = TOTPDevice.objects.get(user=patient)
    client.post("/accounts/mfa/verify/", {"token": current_code(device)})
    assert client.post("/accounts/mfa/turn-off/").status_code == 302
    assert not TOTPDevice.objects.filter(user=patient).exists()


def test_staff_cannot_turn_off_mfa(client):
    staff = StaffFactory()
    login(client, staff)
    enrol(client)
    client.post("/accounts/mfa/turn-off/")
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_login_cycles_the_session_id(client):
    patient = PatientFactory()
    client.get("/accounts/login/")
    client.session["probe"] = 1
    before = client.session.session_key
    login(client, patient)
    assert client.session.session_key != before


@pytest.mark.parametrize(("factory", "minutes"), [(PatientFactory, 30), (StaffFactory, 15)])
def test_idle_sessions_end_after_the_role_timeout(client, clock, factory, minutes):
    user = factory()
    client.force_login(user)
    if user.is_staff:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        client.post("/accounts/mfa/verify/", {"token": current_code(device)})
    assert client.get("/accounts/profile/").status_code == 200
    clock.shift(timedelta(minutes=minutes - 1))
    assert client.get("/accounts/profile/").status_code == 200
    clock.shift(timedelta(minutes=minutes - 1))
    assert client.get("/accounts/profile/").status_code == 200
    clock.shift(timedelta(minutes=minutes, seconds=1))
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session


def test_the_status_poll_does_not_keep_a_session_alive(client):
    user = PatientFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get("/dashboard/")
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert client.get("/accounts/session/status/").json() == {
            "authenticated": True,
            "seconds_left": 600,
        }
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        keep = client.post("/accounts/session/keepalive/")
        assert keep.json() == {"authenticated": True, "seconds_left": 1800}
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get("/dashboard/").status_code == 200


def test_sessions_end_after_twelve_hours_even_when_active(client, clock):
    client.force_login(PatientFactory())
    for _ in range(12 * 3 - 1):
        assert client.get("/dashboard/").status_code == 200
        clock.shift(timedelta(minutes=20))
    assert client.get("/dashboard/").status_code == 200  # 11 h 40 min
    clock.shift(timedelta(minutes=20, seconds=1))
    assert client.get("/dashboard/").status_code == 302


def test_api_requests_with_an_expired_session_get_a_json_401(client):
    user = PatientFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get("/api/v1/me/")
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["code"] == "session_expired"


def test_pages_for_logged_in_users_carry_the_timeout_warning(client):
    client.force_login(PatientFactory())
    html = client.get("/dashboard/").content.decode()
    assert 'data-idle-seconds="1800"' in html
    assert "js/session-timeout.js" in html


def test_security_headers_and_content_security_policy(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]:
        assert directive in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_pages_have_no_inline_scripts(client):
    client.force_login(PatientFactory())
    for url in ["/", "/accounts/login/", "/dashboard/", "/locations/", "/api/docs/"]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or "application/ld+json" in tag or "application/json" in tag, (
                url,
                tag,
            )
        assert not re.search(r"\son[a-z]+=\"", html), url


def test_a_sane_request_id_from_the_proxy_is_kept(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")
    assert response["X-Request-ID"] == "abc-123-def-456"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert hostile["X-Request-ID"] != "<script>"


def test_time_is_real(client):
    assert abs(time.time() - timezone.now().timestamp()) < 5


def test_anonymous_public_api_answers_do_not_vary_on_cookies(client, db):
    response = client.get("/api/v1/locations/")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
