"""The relationship picture on the actor page: drawing code only (positions, labels, arrows).

The relations and whether each holds come from ``apps.registry.selectors``; nothing is queried here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from apps.registry.models import Actor, ActorRelation


@dataclass(frozen=True)
class GraphNode:
    actor: Actor
    x: float
    y: float
    label_anchor: str
    label_y: float


@dataclass(frozen=True)
class GraphEdge:
    node: GraphNode
    label: str
    current: bool
    predicate: str
    label_x: float
    label_y: float
    # The line runs subject -> object (arrowhead at the object), stopping short of both circles.
    x1: float
    y1: float
    x2: float
    y2: float
    directed: bool


@dataclass
class RelationshipGraph:
    width: int
    height: int
    cx: float
    cy: float
    centre: Actor
    edges: list[GraphEdge]

    @property
    def centre_label_y(self) -> float:
        return self.cy + 36


def relationship_graph(
    actor: Actor, relations: list[ActorRelation], *, width: int = 760, height: int = 460
) -> RelationshipGraph:
    """A radial layout: the actor in the middle, each counterpart on a circle around it.

    ``relations`` come from ``selectors.actor_relations`` (annotated with ``holds``: a spoke is
    drawn as current when any of its relations holds on the profile's day).

    Several relations to the same counterpart share one spoke and one label, so the picture
    stays readable however many relations there are. Arrows point from subject to object.
    """
    by_other: dict[int, list[ActorRelation]] = {}
    others: dict[int, Actor] = {}
    for relation in relations:
        other = relation.object if relation.subject_id == actor.pk else relation.subject
        others[other.pk] = other
        by_other.setdefault(other.pk, []).append(relation)
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 55
    edges: list[GraphEdge] = []
    count = len(others)
    for i, (other_pk, rels) in enumerate(sorted(by_other.items(), key=lambda item: others[item[0]].name)):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + radius * cos, cy + radius * sin
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        label_y = y + (24 if sin > 0.3 else (-15 if sin < -0.3 else 4))
        node = GraphNode(
            actor=others[other_pk], x=round(x, 1), y=round(y, 1), label_anchor=anchor, label_y=label_y
        )
        outgoing = {rel.subject_id == actor.pk for rel in rels}
        directed = len(outgoing) == 1
        # Inner end just outside the centre circle (r=16), outer end outside the node (r=9) plus the arrowhead.
        inner = (cx + 20 * cos, cy + 20 * sin)
        outer = (cx + (radius - 14) * cos, cy + (radius - 14) * sin)
        start, end = (inner, outer) if outgoing == {True} or not directed else (outer, inner)
        edges.append(
            GraphEdge(
                node=node,
                label="; ".join(sorted({rel.position_title or rel.get_predicate_display() for rel in rels})),
                current=any(rel.holds for rel in rels),
                predicate=rels[0].predicate,
                label_x=round(cx + (x - cx) * 0.55, 1),
                label_y=round(cy + (y - cy) * 0.55 - 4, 1),
                x1=round(start[0], 1),
                y1=round(start[1], 1),
                x2=round(end[0], 1),
                y2=round(end[1], 1),
                directed=directed,
            )
        )
    return RelationshipGraph(width=width, height=height, cx=cx, cy=cy, centre=actor, edges=edges)
