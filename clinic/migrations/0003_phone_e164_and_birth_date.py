"""Patients' phone numbers are checked with libphonenumber and stored in E.164: the numbers
stored before are rewritten so. A number that cannot be read as one (``call me maybe``) is left
as it is, never thrown away: staff can still see it, and the patient is asked for a valid one
the next time the profile is saved. The migration prints how many of each it found."""

import phonenumbers
from django.conf import settings

import clinic.phones
import clinic.validators
from django.db import migrations, models


def normalise_phones(apps, schema_editor):
    PatientProfile = apps.get_model("clinic", "PatientProfile")
    region = getattr(settings, "PHONE_DEFAULT_REGION", "US")
    rewritten = unreadable = 0
    for pk, phone in PatientProfile.objects.exclude(phone="").values_list("pk", "phone").iterator():
        try:
            number = phonenumbers.parse(phone.strip(), region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            unreadable += 1
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if e164 != phone:
            PatientProfile.objects.filter(pk=pk).update(phone=e164)
            rewritten += 1
    if rewritten or unreadable:
        print(  # noqa: T201 - for the operator
            f"\n  Phone numbers: {rewritten} rewritten in E.164, {unreadable} left as they were "
            "(not a valid number)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0002_service_provider_spanish'),
    ]

    operations = [
        migrations.AlterField(
            model_name='patientprofile',
            name='date_of_birth',
            field=models.DateField(blank=True, null=True, validators=[clinic.validators.validate_date_of_birth], verbose_name='date of birth'),
        ),
        migrations.AlterField(
            model_name='patientprofile',
            name='phone',
            field=models.CharField(blank=True, help_text='Stored in international (E.164) form, e.g. +16095550142.', max_length=32, validators=[clinic.phones.validate_phone_e164], verbose_name='phone'),
        ),
        migrations.RunPython(normalise_phones, migrations.RunPython.noop),
    ]
