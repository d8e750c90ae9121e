"""The admin's user change form as a browser posts it, for tests that save an account there."""


def user_change_post(admin_client, user, **changes) -> tuple[str, dict]:
    """``(url, data)`` of the admin's change form of ``user`` with its current values (patient
    profile inline included) and ``changes`` over them; a value of ``None`` leaves the field
    out, as an unticked checkbox is left out."""
    url = f"/admin/clinic/user/{user.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    profile = user.patient_profile
    data.update(
        {
            "groups": [],
            "user_permissions": [],
            "served_locations": [],
            "patient_profile-TOTAL_FORMS": "1",
            "patient_profile-INITIAL_FORMS": "1",
            "patient_profile-MIN_NUM_FORMS": "0",
            "patient_profile-MAX_NUM_FORMS": "1",
            "patient_profile-0-id": profile.pk,
            "patient_profile-0-user": user.pk,
            "patient_profile-0-phone": profile.phone,
            "patient_profile-0-preferred_language": profile.preferred_language,
            "patient_profile-0-date_of_birth": (
                profile.date_of_birth.isoformat() if profile.date_of_birth else ""
            ),
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("last_login", None)
    data.pop("password", None)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return url, data
