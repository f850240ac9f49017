"""The campaigns' JSON shapes (backend/campaigns/api.py)."""

from datetime import date

from ninja import Schema


class NodeOut(Schema):
    kind: str
    label: str
    starts_on: date | None
    ends_on: date


class CampaignOut(Schema):
    id: int
    name: str
    state: str
    state_label: str
    nodes: list[NodeOut]


class TallyOut(Schema):
    # A village's or a worker's name ("" for the total).
    name: str
    households: int
    visited: int
    remaining: int
    problems: int


class DayOut(Schema):
    day: date
    visited: int


class UnvisitedOut(Schema):
    household: str
    label: str
    village: str


class ProgressOut(Schema):
    campaign: CampaignOut
    total: TallyOut
    villages: list[TallyOut]
    workers: list[TallyOut]
    per_day: list[DayOut]
    unvisited: list[UnvisitedOut]
