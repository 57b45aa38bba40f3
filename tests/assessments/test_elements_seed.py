"""The 11 elements' descriptions are seed 003's own words (the list under its figure 2),
and a database seeded before takes corrected texts at the next seed."""

from sqlalchemy import select

from improvement import seeding
from improvement.extensions import db
from improvement.models import PracticeElement

# Seed 003 (Rambøll's mid-term evaluation), "Indsatssporet knytter an til følgende seks
# elementer ..." and "Det organisatoriske spor knytter an til følgende fem ...", quoted;
# only a closing full stop is added (Økonomi ends there with a comma).
SOURCE = {
    1: "En lovende praksis er forankret i en eller flere veldefinerede teorier og aktuelt "
    "bedste viden.",
    2: "En lovende praksis stiler efter at påvise, at den med rimelig sandsynlighed er virksom.",
    3: "En lovende praksis er velbeskrevet, så den kan anvendes andre steder.",
    4: "En lovende praksis har klare mål.",
    5: "Forskellige fagpersoner skal kunne gentage praksis.",
    6: "I en lovende praksis er der taget stilling til, hvad den koster at drive.",
    7: "En lovende praksis har rammer for, hvordan sparring og refleksion kan finde sted.",
    8: "En lovende praksis beskriver nødvendige relationelle kompetencer hos personalet.",
    9: "En lovende praksis tilrettelægges med udgangspunkt i den enkelte borgers styrker, "
    "udfordringer, forudsætninger og egne ønsker.",
    10: "En systematisk monitorering af målene for borgerens udvikling er afgørende.",
    11: "Systematisk opfølgning for at sikre, at praksis passer til borgerens behov.",
}


def test_the_descriptions_quote_the_source():
    items = seeding.read("elements.yaml")["elements"]
    assert {item["number"]: item["description"] for item in items} == SOURCE
    # The project's own guidance beyond the source is not mixed into them: the elements
    # have the fields number, name, track and description only.
    assert all(set(item) == {"number", "name", "track", "description"} for item in items)


def test_an_existing_database_takes_the_corrected_text_at_the_next_seed(app, runner):
    seeding.load_reference()
    old = db.session.scalars(select(PracticeElement).where(PracticeElement.number == 6)).one()
    old.description = "Der er taget stilling til, hvad indsatsen koster at drive, så ..."
    db.session.commit()
    result = runner.invoke(args=["seed-reference"])
    assert result.exit_code == 0, result.output
    assert "0 new rows" in result.output
    db.session.expire_all()
    descriptions = dict(
        db.session.execute(select(PracticeElement.number, PracticeElement.description)).all()
    )
    assert descriptions == SOURCE
