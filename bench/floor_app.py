"""The HTTP floor of POST /api/v1/visits, for bench/visit_post.py: a bare Flask endpoint that stores the same
rows (the visit, its observations, their ratings) with the same driver (psycopg 3 through SQLAlchemy's pool,
with the app's engine options), under the same gunicorn command, in one transaction. It reads the JSON and
inserts; it checks nothing, signs no one in, filters nothing and records no audit: everything the app does
beyond that is what app / floor measures.

    gunicorn --workers 4 --bind 127.0.0.1:PORT bench.floor_app:app   (DATABASE_URL as for the app)
"""
import os

from flask import Flask, request
from sqlalchemy import column, create_engine, insert, table

from config import Config, database_url

app = Flask(__name__)
engine = create_engine(database_url(os.environ["DATABASE_URL"]), **Config.SQLALCHEMY_ENGINE_OPTIONS)
VISIT_COLUMNS = ("district_id", "client_uuid", "school_id", "visited_on", "minutes", "kind", "purpose",
                 "shared_notes", "internal_notes")
# Lightweight tables: nothing of the app is imported, so none of its listeners runs.
visits = table("visits", *map(column, ("id", "lead_id", "follow_up_done", *VISIT_COLUMNS)))
observations_table = table("observations", *map(column, ("id", "district_id", "visit_id", "rubric_id", "grade",
                                                         "subject", "minutes")))
ratings_table = table("ratings", *map(column, ("district_id", "observation_id", "look_for_id", "rating",
                                               "evidence")))


@app.post("/floor/visits")
def store_visit():
    body = request.get_json()
    with engine.begin() as connection:
        visit_id = connection.execute(
            insert(visits).returning(visits.c.id),
            {**{name: body.get(name) for name in VISIT_COLUMNS}, "lead_id": body["lead_id"], "follow_up_done": False},
        ).scalar_one()
        observations = body.get("observations", [])
        if observations:
            # One INSERT of many rows; PostgreSQL answers RETURNING in the order of VALUES.
            ids = connection.execute(
                insert(observations_table).values(
                    [{"district_id": body["district_id"], "visit_id": visit_id, "rubric_id": o["rubric_id"],
                      "grade": o["grade"], "subject": o["subject"], "minutes": o["minutes"]} for o in observations]
                ).returning(observations_table.c.id)
            ).scalars().all()
            ratings = [{"district_id": body["district_id"], "observation_id": observation_id, **rating}
                       for observation_id, o in zip(ids, observations) for rating in o.get("ratings", [])]
            if ratings:
                connection.execute(insert(ratings_table), ratings)
    return {"id": visit_id}, 201
