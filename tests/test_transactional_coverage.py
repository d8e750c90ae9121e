"""The rule, kept: every place in the apps that locks rows, relies on ``on_commit`` or turns a
database constraint violation into an answer has a test on PostgreSQL outside a wrapping test
transaction (``requires_postgres`` + ``django_db(transaction=True)``).

The code is read, not run: every ``select_for_update(...)`` and ``transaction.on_commit(...)``
call, every call with ``for_verify=True`` (django-otp's locked device look-up), every raw SQL
text with ``FOR UPDATE`` and every ``except IntegrityError`` is found, named by its file and
enclosing function. ``COVERAGE`` below names the tests that drive each such function. A new call
site fails this test until a covering test is written and listed; a listed test must exist and
be marked as above, and an entry whose call sites are gone must be removed.
"""

import ast
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BOOKING = "tests/scheduling/test_booking_postgres.py"
NOTIFICATIONS = "tests/scheduling/test_notifications_postgres.py"
ALERTS = "tests/triage/test_alerts_postgres.py"
FRONT_DESK = "tests/scheduling/test_frontdesk_postgres.py"

WAITLIST = "tests/scheduling/test_waitlist_postgres.py"
WAITLIST_FLOW = (
    f"{WAITLIST}::"
    "test_a_cancellation_on_the_web_offers_the_time_after_commit_and_the_claim_books_it"
)
WAITLIST_PASSED_ON = f"{WAITLIST}::test_lapsed_offers_leaving_and_released_holds_pass_the_time_on"
WAITLIST_CLAIM_RACE = (
    f"{WAITLIST}::test_a_claim_racing_another_booking_of_the_time_leaves_one_appointment"
)
OUTBOX = "tests/clinic/test_outbox_postgres.py"

COVERAGE: dict[str, list[str]] = {
    "scheduling/waitlist/services.py::_locked_offer": [WAITLIST_FLOW, WAITLIST_CLAIM_RACE],
    "scheduling/waitlist/services.py::waitlist_join": [
        f"{WAITLIST}::test_a_double_submitted_join_makes_one_entry"
    ],
    "scheduling/waitlist/services.py::waitlist_leave": [WAITLIST_PASSED_ON],
    "scheduling/waitlist/services.py::waitlist_offer_next": [
        f"{WAITLIST}::test_two_workers_offering_one_freed_time_at_once_make_one_offer"
    ],
    "scheduling/waitlist/services.py::waitlist_offers_expire": [WAITLIST_PASSED_ON],
    "clinic/outbox.py::outbox_send": [
        f"{OUTBOX}::test_a_row_held_by_another_sender_is_skipped_then_sent_once",
        f"{OUTBOX}::test_two_sweeps_at_once_send_each_due_row_of_both_outboxes_once",
        f"{NOTIFICATIONS}::test_a_row_locked_by_another_sender_is_skipped_and_sent_once",
        f"{ALERTS}::test_a_failed_send_is_retried_by_the_sweep_after_its_backoff",
    ],
    "clinic/outbox.py::task_enqueue_on_commit": [
        f"{OUTBOX}::test_a_task_is_queued_only_after_the_commit_and_never_for_a_rollback",
        f"{OUTBOX}::test_a_patient_message_is_queued_per_channel_after_the_commit_only",
        f"{NOTIFICATIONS}::test_the_e_mail_is_queued_after_the_commit_and_the_sweep_sends_it",
        f"{NOTIFICATIONS}::test_nothing_is_queued_when_the_booking_rolls_back",
        f"{ALERTS}::"
        "test_the_delivery_is_queued_after_the_assessment_commits_and_the_sweep_sends_it",
        f"{ALERTS}::test_nothing_is_raised_or_queued_when_the_assessment_rolls_back",
        WAITLIST_FLOW,
        WAITLIST_PASSED_ON,
        f"{FRONT_DESK}::test_board_actions_commit_their_history_and_the_decline_e_mail",
    ],
    "audit/services.py::_statements": [
        "tests/audit/test_chain_postgres.py::"
        "test_patients_reading_and_changing_at_once_leave_one_unbroken_chain",
        "tests/audit/test_chain_postgres.py::"
        "test_a_change_that_rolls_back_takes_its_access_row_and_the_head_with_it",
        "tests/audit/test_chain.py::test_concurrent_writers_never_link_to_the_same_row",
    ],
    "triage/alerts.py::_open_repeat_alert": [
        "tests/triage/test_anonymous_alerts_postgres.py::"
        "test_repeats_from_one_address_are_counted_in_the_open_alert_once_each",
    ],
    "triage/follow_ups.py::follow_up_complete": [
        "tests/triage/test_anonymous_alerts_postgres.py::"
        "test_two_staff_closing_one_follow_up_at_once_one_closes_it_the_other_is_told",
    ],
    "triage/services.py::assessment_claim_for": [
        "tests/triage/test_anonymous_alerts_postgres.py::"
        "test_a_claim_and_a_contact_number_commit_with_their_history",
    ],
    "clinic/management/commands/reencrypt_fields.py::reencrypt_column": [
        "tests/triage/test_encryption_postgres.py::"
        "test_a_note_changed_while_the_command_runs_is_not_overwritten",
        "tests/triage/test_encryption_postgres.py::"
        "test_every_value_moves_to_the_new_key_and_a_second_run_changes_nothing",
    ],
    "portal/public_cache.py::_bump_on_commit": [
        "tests/portal/test_public_cache_postgres.py::"
        "test_a_rename_shows_after_its_commit_and_not_a_request_earlier",
        "tests/portal/test_public_cache_postgres.py::"
        "test_a_write_rolled_back_keeps_the_generation_and_the_answer",
        "tests/portal/test_public_cache_postgres.py::"
        "test_a_booking_over_the_api_moves_the_next_free_time_at_once",
    ],
    "clinic/services.py::_mfa_device_accepting": [
        "tests/clinic/test_mfa_postgres.py::"
        "test_demo_staff_signs_in_with_the_code_and_works_the_alert_queue",
    ],
    "clinic/services.py::mfa_totp_confirm": [
        "tests/clinic/test_mfa_postgres.py::"
        "test_staff_enrol_an_authenticator_a_wrong_code_counted_then_the_right_one",
    ],
    "clinic/services.py::patient_register": [
        "tests/clinic/test_signup_postgres.py::"
        "test_sign_up_commits_the_account_then_mails_a_link_that_verifies_it",
        "tests/clinic/test_signup_postgres.py::"
        "test_a_mail_server_down_at_sign_up_leaves_the_account_in_place",
        "tests/clinic/test_signup_postgres.py::"
        "test_a_sign_up_racing_another_for_one_address_gets_the_same_answer_not_a_500",
    ],
    "clinic/services.py::_signup_attempt_notice": [
        "tests/clinic/test_signup_flow.py::test_the_whole_way_on_postgresql_outside_a_test_transaction",
    ],
    "clinic/services.py::email_verify": [
        "tests/clinic/test_signup_flow.py::test_the_whole_way_on_postgresql_outside_a_test_transaction",
        "tests/clinic/test_signup_postgres.py::test_a_link_confirmed_twice_at_once_signs_in_once",
    ],
    "education/services.py::_locked": [
        "tests/education/test_editing_postgres.py::"
        "test_publish_then_archive_from_the_admin_commit_with_their_revisions",
        "tests/education/test_editing_postgres.py::"
        "test_restoring_a_revision_in_the_admin_commits_a_new_revision",
        "tests/education/test_editing_postgres.py::"
        "test_a_second_editor_archiving_meanwhile_waits_and_is_told_it_is_done",
        "tests/education/test_editing_postgres.py::"
        "test_editors_changing_one_article_at_once_keep_every_change_and_number_revisions_in_turn",
    ],
    "scheduling/services.py::_delete_lapsed_holds": [
        f"{BOOKING}::test_the_beat_task_releases_lapsed_holds_and_the_time_is_offered_again",
        f"{BOOKING}::test_a_booking_clears_a_lapsed_hold_in_its_way",
        f"{BOOKING}::test_a_booking_waits_for_a_lapsed_hold_being_confirmed_and_leaves_it_booked",
        f"{BOOKING}::test_the_beat_task_leaves_a_lapsed_hold_being_confirmed_alone",
    ],
    "scheduling/services.py::_locked": [
        f"{BOOKING}::test_web_hold_then_confirm_commits_the_booking_its_history_and_the_e_mail",
        f"{BOOKING}::test_web_reschedule_then_cancel_commit_their_history_and_notices",
        f"{BOOKING}::"
        "test_api_reschedule_into_a_taken_time_keeps_the_old_one_and_cancel_is_idempotent",
        f"{BOOKING}::test_a_lapsed_hold_released_first_cannot_be_confirmed_afterwards",
        f"{FRONT_DESK}::test_two_desks_confirming_and_declining_one_request_at_once_one_wins",
        f"{FRONT_DESK}::test_board_actions_commit_their_history_and_the_decline_e_mail",
    ],
    "scheduling/services.py::_save_or_conflict": [
        "tests/scheduling/test_concurrency.py::test_many_threads_booking_one_slot_exactly_one_wins",
        "tests/scheduling/test_concurrency.py::"
        "test_one_patient_booking_two_physicians_at_once_gets_one",
        f"{BOOKING}::test_concurrent_requests_without_a_key_for_one_time_book_it_once",
        f"{BOOKING}::"
        "test_two_patients_moving_into_one_time_at_once_one_moves_the_other_keeps_theirs",
        f"{FRONT_DESK}::"
        "test_the_exclusion_constraints_keep_the_time_of_an_arrived_patient_and_a_request",
    ],
    "scheduling/services.py::appointment_book": [
        f"{BOOKING}::"
        "test_api_booking_with_an_idempotency_key_replays_and_refuses_the_key_for_another_body",
        f"{BOOKING}::test_concurrent_requests_with_one_idempotency_key_make_one_appointment",
        f"{BOOKING}::"
        "test_a_retry_arriving_while_the_first_request_books_waits_and_returns_its_appointment",
    ],
    "triage/alerts.py::_locked": [
        f"{ALERTS}::test_staff_acknowledge_resolve_and_resend_in_the_admin",
        f"{ALERTS}::test_two_staff_acknowledging_one_alert_at_once_one_takes_it",
    ],
    "triage/alerts.py::alert_delivery_requeue": [
        f"{ALERTS}::test_staff_acknowledge_resolve_and_resend_in_the_admin",
    ],
    "triage/alerts.py::alert_escalate_due": [
        f"{ALERTS}::test_two_sweeps_at_once_escalate_an_overdue_alert_once",
        f"{ALERTS}::test_an_alert_staff_hold_is_skipped_by_the_escalation_sweep",
    ],
}


def app_packages() -> list[str]:
    """The first-party packages, as ``pyproject.toml`` declares them for installation."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        patterns = tomllib.load(handle)["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(pattern.rstrip("*") for pattern in patterns)


def _names(node: ast.expr | None) -> set[str]:
    """The bare names an ``except`` clause catches (``db.IntegrityError`` counts as well)."""
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(element) for element in node.elts))
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id}
    return set()


def _kind(node: ast.AST) -> str | None:
    """What makes ``node`` a call site the rule is about, if anything."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("select_for_update", "on_commit"):
            return name
        for keyword in node.keywords:
            if keyword.arg == "for_verify" and getattr(keyword.value, "value", None) is True:
                return "for_verify"
    if isinstance(node, ast.ExceptHandler) and "IntegrityError" in _names(node.type):
        return "except IntegrityError"
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and "FOR UPDATE" in node.value.upper()
    ):
        return "FOR UPDATE in SQL"  # also the literal parts of an f-string
    return None


def _is_docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _walk(node: ast.AST, scope: str, found: dict[str, list[str]], where: str) -> None:
    for child in ast.iter_child_nodes(node):
        if _is_docstring(child):
            continue
        inner = scope
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = f"{scope}.{child.name}" if scope else child.name
        kind = _kind(child)
        if kind is not None:
            found[f"{where}::{inner or '<module>'}"].append(f"{kind} (line {child.lineno})")
        _walk(child, inner, found, where)


def call_sites() -> dict[str, list[str]]:
    """``{"app/module.py::function": ["select_for_update (line 12)", ...]}`` for the apps."""
    found: dict[str, list[str]] = defaultdict(list)
    for package in app_packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(relative))
            _walk(tree, "", found, relative.as_posix())
    return dict(found)


def _marks_text(tree: ast.Module, function: ast.FunctionDef) -> str:
    """The source of the function's decorators and of the module's ``pytestmark``."""
    parts = [ast.unparse(decorator) for decorator in function.decorator_list]
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            getattr(target, "id", "") == "pytestmark" for target in statement.targets
        ):
            parts.append(ast.unparse(statement.value))
    return " ".join(parts)


def test_the_scan_finds_each_kind_of_call_site():
    """The scanner itself: one of each kind, in a nested function and a method."""
    source = (
        '"""Locks with SELECT ... FOR UPDATE (prose, not a call site)."""\n'
        "def book():\n"
        "    def inner():\n"
        "        transaction.on_commit(lambda: None)\n"
        "    try:\n"
        "        pass\n"
        "    except (ValueError, db.IntegrityError):\n"
        "        pass\n"
        "class Head:\n"
        "    def lock(self):\n"
        "        Row.objects.select_for_update().get()\n"
        "        cursor.execute(f'SELECT 1 FROM {table} for update')\n"
        "        devices_for_user(user, for_verify=True)\n"
    )
    found: dict[str, list[str]] = defaultdict(list)
    _walk(ast.parse(source), "", found, "app/x.py")
    assert dict(found) == {
        "app/x.py::book.inner": ["on_commit (line 4)"],
        "app/x.py::book": ["except IntegrityError (line 7)"],
        "app/x.py::Head.lock": [
            "select_for_update (line 11)",
            "FOR UPDATE in SQL (line 12)",
            "for_verify (line 13)",
        ],
    }


def test_every_lock_on_commit_and_constraint_site_has_a_transactional_postgres_test():
    sites = call_sites()
    missing = {site: kinds for site, kinds in sites.items() if site not in COVERAGE}
    assert not missing, (
        "These functions lock rows, use on_commit or rely on a database constraint, and no "
        "test on PostgreSQL outside a test transaction is listed for them in "
        "tests/test_transactional_coverage.py COVERAGE (write one, then list it):\n"
        + "\n".join(f"  {site}: {', '.join(kinds)}" for site, kinds in sorted(missing.items()))
    )
    stale = sorted(set(COVERAGE) - set(sites))
    assert not stale, f"No such call site any more; remove from COVERAGE: {stale}"


def test_every_listed_test_exists_and_runs_on_postgres_outside_a_test_transaction():
    problems = []
    trees: dict[str, ast.Module] = {}
    for site, tests in sorted(COVERAGE.items()):
        assert tests, f"{site} lists no test"
        for test_id in tests:
            path, _sep, name = test_id.partition("::")
            if path not in trees:
                trees[path] = ast.parse((ROOT / path).read_text())
            tree = trees[path]
            function = next(
                (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None
            )
            if function is None:
                problems.append(f"{test_id}: no such test")
                continue
            marks = _marks_text(tree, function)
            if "requires_postgres" not in marks or "transaction=True" not in marks:
                problems.append(f"{test_id}: not marked requires_postgres + transaction=True")
    assert problems == []
