"""Staff-facing times: every time the admin shows, in the zone of the location it belongs to,
with the zone named (``Dec 1, 2026, 10:00 AM Central Time (Houston)``). One helper for all:
``staff_time``; ``StaffTimesAdmin`` turns a model admin's (or inline's) datetime fields into
such columns in lists, change pages and inlines.

A row without a location (the audit log, accounts) is shown in the zone of the staff member
looking at it (the first location they serve), else the clinic's default location's zone:
``StaffViewerMiddleware`` remembers the request (so who is looking) for its length (the admin
renders its rows after the view returns, so a view cannot pass it along).
"""

from contextvars import ContextVar
from datetime import datetime

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from clinic.models import Location, User
from clinic.selectors import location_default
from clinic.timefmt import SHORT, format_datetime

EMPTY = "—"
LOCAL_SUFFIX = "_local"

_request: ContextVar[HttpRequest | None] = ContextVar("staff_time_request", default=None)
_viewer_place: ContextVar[Location | None] = ContextVar("staff_time_viewer_place", default=None)


class StaffViewerMiddleware:
    """Remembers the signed-in staff member for ``staff_time``'s fallback zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The request, not its user: reading the user reads the session, and a response that
        # never needed it must not vary on the cookie.
        token, place_token = _request.set(request), _viewer_place.set(None)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
            _viewer_place.reset(place_token)


def _viewer() -> User | None:
    request = _request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_staff else None


def viewer_location(user: User | None = None) -> Location | None:
    """The zone's place for rows without a location: the staff member's own (first served)
    location, else the clinic's default one. Looked up once per request."""
    user = user or _viewer()
    if user is None:
        return location_default()
    cached = _viewer_place.get()
    if cached is not None:
        return cached
    place = user.served_locations.order_by("sort_order", "name").first() or location_default()
    _viewer_place.set(place)
    return place


def staff_time(value: datetime | None, location: Location | None = None) -> str:
    """``Dec 1, 2026, 10:00 AM Central Time (Houston)``: a stored UTC instant as staff read
    it, in ``location``'s zone (or the viewer's, see ``viewer_location``), zone always named;
    ``—`` for no time."""
    if value is None:
        return EMPTY
    place = location or viewer_location()
    return format_datetime(value, place, form=SHORT) if place else format_datetime(value, "UTC")


def _follow(obj: Model | None, path: str | None):
    if not path:
        return None
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


class StaffTimesAdmin:
    """Mixin for a ``ModelAdmin`` or an inline: ``staff_times = {"created_at": "location"}``
    maps each datetime field to the path of its row's location (``None``: the viewer's zone).
    Wherever the admin would show one of those fields (list columns, read-only fields on the
    change page, inline columns), it shows ``<field>_local`` instead: the labelled local time,
    sortable by the field. Editable fields are left as form inputs."""

    staff_times: dict[str, str | None] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for field, path in cls.staff_times.items():
            name = field + LOCAL_SUFFIX
            if name not in cls.__dict__:
                setattr(cls, name, cls._column(field, path))

    @staticmethod
    def _column(field: str, path: str | None):
        def column(self, obj) -> str:
            return staff_time(getattr(obj, field), _follow(obj, path))

        column.admin_order_field = field
        column.__name__ = field + LOCAL_SUFFIX
        return column

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.staff_times:
            column = getattr(type(self), field + LOCAL_SUFFIX)
            if not hasattr(column, "short_description"):
                label = self.model._meta.get_field(field).verbose_name
                column.short_description = _("%(field)s (local time)") % {"field": label}

    def _swap(self, name, readonly: set[str] | None):
        if isinstance(name, (list, tuple)):  # a row of fields in a fieldset
            return type(name)(self._swap(each, readonly) for each in name)
        if name in self.staff_times and (readonly is None or name in readonly):
            return name + LOCAL_SUFFIX
        return name

    def _local(self, names, *, readonly: set[str] | None = None):
        swapped, seen = [], set()
        for name in names:
            name = self._swap(name, readonly)
            if isinstance(name, str) and name in seen:
                continue
            seen.add(name if isinstance(name, str) else None)
            swapped.append(name)
        return tuple(swapped) if isinstance(names, tuple) else swapped

    def get_list_display(self, request):
        return self._local(super().get_list_display(request))

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        return self._local(links) if links else links

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        extra = [field + LOCAL_SUFFIX for field in self.staff_times]
        return [*readonly, *(name for name in extra if name not in readonly)]

    def _declared_readonly(self, request, obj) -> set[str]:
        return set(super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        readonly = self._declared_readonly(request, obj)
        return self._local(list(super().get_fields(request, obj)), readonly=readonly)

    def get_fieldsets(self, request, obj=None):
        readonly = self._declared_readonly(request, obj)
        return [
            (title, {**options, "fields": self._local(list(options["fields"]), readonly=readonly)})
            for title, options in super().get_fieldsets(request, obj)
        ]
