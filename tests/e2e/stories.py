"""A published story tagged to registry records, for the reader, partner and console scenarios."""

from __future__ import annotations

from dataclasses import dataclass

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePage
from apps.core.models import SectionPage
from apps.registry.models import Actor, Event, Predicate
from tests.factories import ArticlePageFactory, paragraph
from tests.registry.factories import ActorFactory, EventFactory, ParticipantFactory, RelationFactory


@dataclass
class Story:
    article: ArticlePage
    actor: Actor
    ally: Actor
    event: Event


def tagged_story(section: SectionPage) -> Story:
    actor = ActorFactory(name="Republic of Lakeland", description="A landlocked state of the demo.")
    ally = ActorFactory(name="Union of River States", kind="alliance")
    RelationFactory(subject=actor, object=ally, predicate=Predicate.MEMBER_OF)
    event = EventFactory(title="River States summit in Lakeport")
    ParticipantFactory(event=event, actor=actor)
    article = ArticlePageFactory(
        title="River States agree on a shared grain reserve",
        parent=section,
        body=[paragraph("Ministers agreed to pool grain stocks before the lean season.")],
        actor_tags=[ArticleActor(actor=actor)],
        event_tags=[ArticleEvent(event=event)],
    )
    return Story(article=article, actor=actor, ally=ally, event=event)
