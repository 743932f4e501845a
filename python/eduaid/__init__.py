"""eduaid: China's education poverty-alleviation student aid (教育扶贫) as code.

Who is eligible for which student-aid program, how much, paid when, and why, with the
dated national standards embedded and regional overlays on top. Every rule lives in the
Rust core; this package converts Python values to it and back, so that Python answers
exactly as the Rust library, the command line and JavaScript do (one data contract:
interface.md). Money is ``decimal.Decimal``, dates are ``datetime.date``, never floats.

>>> import datetime, eduaid
>>> profile = {"student_id": "S-0001", "stage": "junior_middle", "grade": 2,
...            "boarding": True, "hukou": "rural",
...            "household": {"statuses": ["lifted_out_of_poverty", "dibao"]}}
>>> a = eduaid.evaluate(profile, datetime.date(2024, 10, 1))
>>> subsidy = a.entitlement("compulsory_living_subsidy")
>>> subsidy.annual_amount, [(p.term, p.amount) for p in subsidy.payments]
(Decimal('1500.00'), [('2024-autumn', Decimal('750.00')), ('2025-spring', Decimal('750.00'))])
>>> [r.message for r in subsidy.because][:3]
['the student is in junior_middle', 'the student boards at school', 'the household is in a key group (lifted_out_of_poverty)']
"""

from ._eduaid import (
    Assessment,
    Case,
    Entitlement,
    NotEligible,
    ParameterUsed,
    Payment,
    Policy,
    PolicyRef,
    Reason,
    __version__,
    care_schedule,
    compare_registry,
    consolidation,
    detect_absence,
    evaluate,
    evaluate_many,
    grassroots_compensation,
    loan_schedule,
    programs,
    public_funds,
    reasons,
    reconcile,
    reports_due,
    required_inputs,
    roster_report,
    teacher_allowances,
    what_if,
)
from ._errors import CaseError, EduaidError, InvalidInput, NotInForce, PolicyError, RowErrorWarning
from ._table import TableResult, evaluate_table, evaluate_table_with_errors

__all__ = [
    "Assessment",
    "Case",
    "CaseError",
    "EduaidError",
    "Entitlement",
    "InvalidInput",
    "NotEligible",
    "NotInForce",
    "ParameterUsed",
    "Payment",
    "Policy",
    "PolicyError",
    "PolicyRef",
    "Reason",
    "RowErrorWarning",
    "TableResult",
    "__version__",
    "care_schedule",
    "compare_registry",
    "consolidation",
    "detect_absence",
    "evaluate",
    "evaluate_many",
    "evaluate_table",
    "evaluate_table_with_errors",
    "grassroots_compensation",
    "loan_schedule",
    "programs",
    "public_funds",
    "reasons",
    "reconcile",
    "reports_due",
    "required_inputs",
    "roster_report",
    "teacher_allowances",
    "what_if",
]
