"""Demo data of the clinic app: two locations, four fictional physicians and the demo accounts (a
staff user, a patient and a compliance officer). Everything here is invented; phone numbers use
the 555-01xx fiction range."""

import base64
from datetime import time

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.demo import compliance_group
from clinic.models import Location, OpeningHours, PatientProfile, Provider, Service, User

DEMO_PASSWORD = "demo-pass-2026"
# The demo staff account's authenticator key (staff must use two-step verification). Add it to
# any TOTP app, or print the current code with `python manage.py demo_totp_code` (debug only).
DEMO_TOTP_KEY_HEX = "4c61726b73707572446d6f4b65793230323621"
DEMO_TOTP_DEVICE_NAME = "Demo authenticator"
STAFF_GROUP = "Clinic staff"

SERVICES = [
    ("physical-therapy", "Physical therapy", "Fisioterapia", Service.Category.CONSERVATIVE),
    ("chiropractic-care", "Chiropractic care", "Quiropráctica", Service.Category.CONSERVATIVE),
    (
        "medication-management",
        "Anti-inflammatory medication",
        "Medicamentos antiinflamatorios",
        Service.Category.CONSERVATIVE,
    ),
    (
        "epidural-steroid-injection",
        "Epidural steroid injections",
        "Inyecciones epidurales de esteroides",
        Service.Category.CONSERVATIVE,
    ),
    (
        "discseel",
        "Discseel procedure",
        "Procedimiento Discseel",
        Service.Category.MINIMALLY_INVASIVE,
    ),
    (
        "radiofrequency-ablation",
        "Radiofrequency ablation",
        "Ablación por radiofrecuencia",
        Service.Category.MINIMALLY_INVASIVE,
    ),
    (
        "spinal-cord-stimulation",
        "Spinal cord stimulation",
        "Estimulación de la médula espinal",
        Service.Category.MINIMALLY_INVASIVE,
    ),
    (
        "surgical-referral",
        "Minimally invasive spine surgery (referral)",
        "Cirugía de columna mínimamente invasiva (por derivación)",
        Service.Category.SURGICAL,
    ),
]

LOCATIONS = [
    {
        "slug": "lawrenceville-nj",
        "name": "Lawrenceville, NJ",
        "street": "2150 Larkspur Commons Drive, Suite 210",
        "city": "Lawrenceville",
        "region": "NJ",
        "postal_code": "08648",
        "phone": "(609) 555-0142",
        "timezone": "America/New_York",
        "latitude": "40.297000",
        "longitude": "-74.729000",
        "sort_order": 1,
        "services": [s[0] for s in SERVICES],
    },
    {
        "slug": "houston-tx",
        "name": "Houston, TX",
        "street": "7400 Larkspur Medical Parkway, Suite 400",
        "city": "Houston",
        "region": "TX",
        "postal_code": "77030",
        "phone": "(713) 555-0187",
        "timezone": "America/Chicago",
        "latitude": "29.707000",
        "longitude": "-95.401000",
        "sort_order": 2,
        "services": [s[0] for s in SERVICES if s[0] != "chiropractic-care"],
    },
]

# Monday to Friday, with a lunch closure: two intervals a day.
OPENING_HOURS = [(day, time(8, 0), time(12, 0)) for day in range(5)] + [
    (day, time(13, 0), time(17, 30)) for day in range(5)
]

PROVIDERS = [
    {
        "slug": "elena-marsh",
        "name": "Dr. Elena Marsh",
        "credentials": "MD",
        "specialty": "Physical medicine and rehabilitation",
        "specialty_es": "Medicina física y rehabilitación",
        "bio": (
            "Dr. Marsh treats sciatica and lumbar disc problems with exercise-based care first, "
            "and guides patients through injections when recovery stalls."
        ),
        "bio_es": (
            "La Dra. Marsh trata la ciática y los problemas de los discos lumbares empezando por "
            "el ejercicio, y acompaña a sus pacientes en las inyecciones cuando la recuperación "
            "se estanca."
        ),
        "locations": ["lawrenceville-nj"],
        "sort_order": 1,
    },
    {
        "slug": "nadia-brennan",
        "name": "Dr. Nadia Brennan",
        "credentials": "MD, FIPP",
        "specialty": "Interventional pain medicine",
        "specialty_es": "Medicina intervencionista del dolor",
        "bio": (
            "Dr. Brennan performs image-guided spine procedures, including epidural injections, "
            "radiofrequency ablation and Discseel evaluations, in New Jersey and Texas."
        ),
        "bio_es": (
            "La Dra. Brennan realiza procedimientos de columna guiados por imágenes, como "
            "inyecciones epidurales, ablación por radiofrecuencia y evaluaciones para Discseel, "
            "en Nueva Jersey y en Texas."
        ),
        "locations": ["lawrenceville-nj", "houston-tx"],
        "sort_order": 2,
    },
    {
        "slug": "mateo-alvarado",
        "name": "Dr. Mateo Alvarado",
        "credentials": "DO",
        "specialty": "Pain medicine",
        "specialty_es": "Medicina del dolor",
        "bio": (
            "Dr. Alvarado sees patients in English and Spanish and focuses on nerve-root pain, "
            "from first assessment to long-term management."
        ),
        "bio_es": (
            "El Dr. Alvarado atiende a sus pacientes en inglés y en español y se dedica al dolor "
            "de las raíces nerviosas, desde la primera evaluación hasta el control a largo plazo."
        ),
        "locations": ["houston-tx"],
        "sort_order": 3,
    },
    {
        "slug": "samuel-okafor",
        "name": "Dr. Samuel Okafor",
        "credentials": "MD",
        "specialty": "Physical medicine and rehabilitation",
        "specialty_es": "Medicina física y rehabilitación",
        "bio": (
            "Dr. Okafor combines electrodiagnostic testing with rehabilitation plans for leg "
            "weakness and numbness caused by the lower back."
        ),
        "bio_es": (
            "El Dr. Okafor combina los estudios electrodiagnósticos con planes de rehabilitación "
            "para la debilidad y el entumecimiento de las piernas que vienen de la zona lumbar."
        ),
        "locations": ["houston-tx"],
        "sort_order": 4,
    },
]

STAFF_PERMISSIONS = [
    ("clinic", "view_location"),
    ("clinic", "view_provider"),
    ("clinic", "view_service"),
    ("clinic", "view_user"),
    ("clinic", "view_patientprofile"),
]


def _user(email: str, **fields) -> User:
    """The demo account with that e-mail, created or reset to the demo password, verified."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email)
    for name, value in fields.items():
        setattr(user, name, value)
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed(*, stdout) -> None:
    services = {}
    for order, (slug, name, name_es, category) in enumerate(SERVICES, start=1):
        services[slug], _ = Service.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_es": name_es, "category": category, "sort_order": order},
        )

    locations = {}
    for spec in LOCATIONS:
        fields = {k: v for k, v in spec.items() if k not in ("slug", "services")}
        location, _ = Location.objects.update_or_create(slug=spec["slug"], defaults=fields)
        location.services.set([services[s] for s in spec["services"]])
        for weekday, opens, closes in OPENING_HOURS:
            OpeningHours.objects.update_or_create(
                location=location, weekday=weekday, opens=opens, defaults={"closes": closes}
            )
        locations[spec["slug"]] = location

    for spec in PROVIDERS:
        fields = {k: v for k, v in spec.items() if k not in ("slug", "locations")}
        provider, _ = Provider.objects.update_or_create(slug=spec["slug"], defaults=fields)
        provider.locations.set([locations[s] for s in spec["locations"]])

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in STAFF_PERMISSIONS
        ]
    )
    staff = _user(
        "staff@example.com",
        first_name="Sam",
        last_name="Frontdesk",
        is_staff=True,
    )
    staff.served_locations.set(locations.values())
    staff.groups.add(group)
    TOTPDevice.objects.update_or_create(
        user=staff,
        name=DEMO_TOTP_DEVICE_NAME,
        defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
    )

    patient = _user(
        "patient@example.com",
        first_name="Pat",
        last_name="Example",
    )
    PatientProfile.objects.update_or_create(
        user=patient,
        defaults={
            "phone": "+16095550199",
            "preferred_location": locations["lawrenceville-nj"],
            "preferred_language": "en",
            "sms_opt_in": True,
        },
    )
    stdout.write(
        f"Demo accounts (password {DEMO_PASSWORD}): staff@example.com (admin), patient@example.com"
        " (opted in to text messages: with SMS_BACKEND=console they are printed)"
    )
    stdout.write(
        "Staff two-step verification: run `python manage.py demo_totp_code` for the current code, "
        f"or add the key {demo_totp_base32()} to an authenticator app."
    )
    _seed_compliance_officer(stdout=stdout)


def _seed_compliance_officer(*, stdout) -> None:
    """compliance@example.com in the audit trail's "Compliance" group, with the demo password
    and the demo authenticator (the same key as staff@example.com's, so ``manage.py
    demo_totp_code`` prints its code too). staff@example.com is not in the group."""
    officer = _user(
        "compliance@example.com", first_name="Casey", last_name="Compliance", is_staff=True
    )
    officer.groups.set([compliance_group()])
    TOTPDevice.objects.update_or_create(
        user=officer,
        name=DEMO_TOTP_DEVICE_NAME,
        defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
    )
    stdout.write(
        f"Compliance officer (password {DEMO_PASSWORD}, same authenticator as staff): "
        "compliance@example.com reads and exports the PHI access log at "
        "/admin/audit/phiaccess/"
    )


def demo_totp_base32() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode().rstrip("=")
