from dataclasses import dataclass

import pytest

from improvement.extensions import db
from tests.cases.helpers import gen_case, gen_core_element, gen_phase
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user


@dataclass
class Team:
    org: object
    leader: object
    practitioner: object
    colleague: object
    evaluator: object
    intervention: object
    phases: list
    elements: list
    case: object


@pytest.fixture
def team(app):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Lund")
    practitioner = gen_user(org, role="practitioner", name="Birgitte Bach")
    colleague = gen_user(org, role="practitioner", name="Frederik Friis")
    evaluator = gen_user(org, role="evaluator", name="Erik Engberg")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    for user, role in (
        (leader, "leader"),
        (practitioner, "practitioner"),
        (colleague, "practitioner"),
    ):
        gen_member(intervention, user, professional_role=role)
    phases = [
        gen_phase(intervention, n, i) for i, n in enumerate(["Opstart", "Forløb", "Afslutning"])
    ]
    elements = [
        gen_core_element(intervention, n, i)
        for i, n in enumerate(["Tidlig tilstedeværelse", "Samspil i centrum"])
    ]
    case = gen_case(intervention, "SP-2026-001", practitioner_id=practitioner.id)
    db.session.commit()
    return Team(
        org, leader, practitioner, colleague, evaluator, intervention, phases, elements, case
    )
