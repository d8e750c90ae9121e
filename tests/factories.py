"""Factories of the clinic app (users, profiles, locations, physicians). Other apps keep theirs
in ``tests/<app>/factories.py``."""

from datetime import date, time

import factory
from django.contrib.auth.hashers import make_password

from clinic.models import Location, OpeningHours, PatientProfile, Provider, Service, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class PatientFactory(UserFactory):
    profile = factory.RelatedFactory(
        "tests.factories.PatientProfileFactory", factory_related_name="user"
    )


class StaffFactory(UserFactory):
    is_staff = True


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"location-{n}")
    name = factory.Sequence(lambda n: f"Location {n}")
    street = "1 Example Street"
    city = "Lawrenceville"
    region = "NJ"
    postal_code = "08648"
    phone = "(609) 555-0100"
    timezone = "America/New_York"

    @factory.post_generation
    def weekday_hours(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for day in range(5):
            OpeningHours.objects.get_or_create(
                location=self, weekday=day, opens=time(9), defaults={"closes": time(17)}
            )


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(UserFactory)
    date_of_birth = date(1970, 5, 17)
    phone = "+16095550111"
    preferred_language = "en"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    category = Service.Category.CONSERVATIVE


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"provider-{n}")
    name = factory.Sequence(lambda n: f"Dr. Provider {n}")
    credentials = "MD"
    bio = "Treats back and leg pain."

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)
