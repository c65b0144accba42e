"""The buyer's mails, in the buyer's language: a plain-text and an HTML part rendered from
Jinja2 templates (chalicelib/templates/mail/), whose words come from the same gettext
catalogues as every other server text.

The HTML part is autoescaped: a buyer types their own name, and it must stay text in the mail.
Jinja2 costs import time, so it is imported when the first mail is written.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.i18n import format_when, language, pick, translate, translations
from chalicelib.core.money import format_eur
from chalicelib.orders.model import Order

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@functools.cache
def environment(lang: str) -> Environment:
    """One environment per language: its gettext and money filter are fixed, so a threaded
    local server never renders one buyer's mail with another's catalogue."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # Off only for the plain-text part, where an escaped "&amp;" would be a wrong text.
        autoescape=select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,  # a misspelt variable fails the test, not the buyer's mail
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["money"] = functools.partial(_money, lang=lang)
    return env


def _money(cents: int, lang: str) -> str:
    return format_eur(cents, lang)


def render_mail(template: str, lang: str, /, **context: Any) -> tuple[str, str]:
    """`templates/mail/<template>.txt` and `.html` in `lang`: the text and the HTML part."""
    lang = language(lang)
    env = environment(lang)
    context = {"lang": lang, **context}
    text = env.get_template(f"mail/{template}.txt").render(context)
    html = env.get_template(f"mail/{template}.html").render(context)
    return text, html


def _common(order: Order, detail: PerformanceDetail) -> dict[str, Any]:
    lang = language(order.customer.language)
    return {
        "name": order.customer.name,
        "house": detail.house.name,
        "title": pick(detail.production.title, lang),
        "when": format_when(detail.performance.starts_at, lang),
        "order_id": order.id,
    }


class ConfirmationMails:
    def confirmation(
        self, order: Order, detail: PerformanceDetail, link: str
    ) -> tuple[str, str, str]:
        lang = language(order.customer.language)
        common = _common(order, detail)
        subject = translate(lang, "Your tickets for %(title)s", title=common["title"])
        text, html = render_mail(
            "confirmation",
            lang,
            subject=subject,
            where=f"{detail.venue.name}, {detail.hall.name}, {detail.venue.city}",
            lines=order.lines,
            total_cents=order.total_cents,
            vat_cents=order.vat_cents,
            link=link,
            **common,
        )
        return subject, text, html

    def apology(self, order: Order, detail: PerformanceDetail) -> tuple[str, str, str]:
        lang = language(order.customer.language)
        common = _common(order, detail)
        subject = translate(
            lang, "Your order for %(title)s has been refunded", title=common["title"]
        )
        text, html = render_mail(
            "apology", lang, subject=subject, total_cents=order.total_cents, **common
        )
        return subject, text, html

    def cancellation(
        self, order: Order, detail: PerformanceDetail, refunded_cents: int
    ) -> tuple[str, str, str]:
        """Staff cancelled the order: the tickets are void, and what comes back."""
        lang = language(order.customer.language)
        common = _common(order, detail)
        subject = translate(
            lang, "Your order for %(title)s has been cancelled", title=common["title"]
        )
        text, html = render_mail(
            "cancellation", lang, subject=subject, refunded_cents=refunded_cents, **common
        )
        return subject, text, html
