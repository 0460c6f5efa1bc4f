"""Panels that other apps add to the article editor through a hook.

``HookedPanels("register_article_tag_panels")`` sits on the Tags tab; the tagging app registers
its suggestion panel there, so articles never imports tagging (docs/adr/0008).
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.panels import MultiFieldPanel


class HookedPanels(MultiFieldPanel):
    """A group whose children are the panels returned by every function registered for a hook."""

    def __init__(self, hook_name: str = "register_article_tag_panels", *args, **kwargs) -> None:
        kwargs.setdefault("children", ())
        super().__init__(*args, **kwargs)
        self.hook_name = hook_name

    def clone_kwargs(self) -> dict:
        return {**super().clone_kwargs(), "hook_name": self.hook_name}

    def on_model_bound(self) -> None:
        # Read at binding (the first editor request), not at import: models load before hooks.
        self.children = [panel for fn in hooks.get_hooks(self.hook_name) for panel in fn()]
        super().on_model_bound()
