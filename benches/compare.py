"""Times the Python validators on the crate's 5-domain request and prints them beside the
crate's criterion results (run by benches/compare.sh, which runs the benches first)."""

import json
import pathlib
import statistics
import timeit

from aws_resource_validator.pydantic_models.workmail import CreateOrganizationRequestTypeDef
from botocore.session import get_session
from botocore.validate import ParamValidator

ROOT = pathlib.Path(__file__).resolve().parent.parent
REQUEST = (ROOT / "benches/data/five-domains-request.json").read_text().strip()
CRITERION = ROOT / "target/criterion/spec"


def spread(per_call_ns):
    """Median and the 10th and 90th percentiles of per-call times, in ns."""
    deciles = statistics.quantiles(per_call_ns, n=10)
    return statistics.median(per_call_ns), deciles[0], deciles[-1]


def python_timing(call, samples=30):
    """Per-call times of `call` over `samples` samples of a fixed loop count."""
    loops, _ = timeit.Timer(call).autorange()
    loops = max(loops // 4, 100)
    times = timeit.Timer(call).repeat(repeat=samples, number=loops)
    return spread([t / loops * 1e9 for t in times])


def criterion(bench):
    """Per-iteration times of criterion's samples for `spec/bench`, in ns."""
    sample = json.loads((CRITERION / bench / "new/sample.json").read_text())
    return spread([t / n for t, n in zip(sample["times"], sample["iters"])])


def main():
    pattern_context = {"aws_validate_patterns": True}
    model = CreateOrganizationRequestTypeDef
    # Both accept the body: patterns on, every field checked.
    model.model_validate_json(REQUEST, context=pattern_context)
    shape = get_session().get_service_model("workmail").operation_model("CreateOrganization").input_shape
    validator = ParamValidator()
    report = validator.validate(json.loads(REQUEST), shape)
    assert not report.has_errors(), report.generate_report()

    rows = [
        ("floor: serde_json into borrowed &str structs, no checks", "spec JSON",
         criterion("floor_borrowed_unchecked_5_domains"), "nothing"),
        ("workmail-org: spec JSON → OrganizationSpec", "spec JSON",
         criterion("json_to_spec_5_domains"),
         "full-match values, cross-field rules, collect-all, shape errors with JSON paths"),
        ("workmail-org: spec JSON → Violations (10)", "spec JSON, 10 violations",
         criterion("json_to_violations_10"), "as above, all 10 found"),
        ("workmail-org: request JSON → CreateOrganizationRequest", "request JSON",
         criterion("request_json_to_request_5_domains"),
         "full-match values, at most 5 domains; stops at the first error"),
        ("pydantic model_validate_json, patterns on", "request JSON",
         python_timing(lambda: model.model_validate_json(REQUEST, context=pattern_context)),
         "types, lengths, prefix-only patterns (re.match), collect-all; no cross-field rules"),
        ("botocore ParamValidator (json.loads + validate)", "request JSON",
         python_timing(lambda: validator.validate(json.loads(REQUEST), shape)),
         "types, required, lengths, collect-all; no patterns, no cross-field rules"),
    ]
    crate = rows[1][2][0]
    print()
    print("| validator | input | median | p10–p90 | × crate spec | checks |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, what, (median, low, high), checks in rows:
        print(f"| {name} | {what} | {median / 1000:.2f} µs | {low / 1000:.2f}–{high / 1000:.2f} µs "
              f"| {median / crate:.2f} | {checks} |")
    floor = rows[0][2][0]
    print()
    print(f"crate spec / floor: {crate / floor:.2f}; pydantic / crate spec: "
          f"{rows[4][2][0] / crate:.1f}; botocore / crate spec: {rows[5][2][0] / crate:.1f}")
    for name in ("validate_5_domains", "spec_to_request_json_5_domains"):
        median, low, high = criterion(name)
        print(f"{name}: {median / 1000:.2f} µs (p10–p90 {low / 1000:.2f}–{high / 1000:.2f})")


if __name__ == "__main__":
    main()
