"""Field work's form shapes that the shared loader (`app/forms.py`) does not know: one rating per look-for."""
from werkzeug.datastructures import MultiDict


def ratings_from_form(form: MultiDict, rubric) -> list[dict]:
    """One `rating-<look-for id>` radio group and `evidence-<id>` box per look-for; unrated ones are left out."""
    ratings = []
    for look_for in rubric.look_fors:
        value = form.get(f"rating-{look_for.id}", "").strip()
        evidence = form.get(f"evidence-{look_for.id}", "").strip() or None
        if value:
            ratings.append({"look_for_id": look_for.id, "rating": value, "evidence": evidence})
    return ratings
