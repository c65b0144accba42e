"""The buyer's mails, in the buyer's language. Plain text first; the HTML says the same."""

from __future__ import annotations

from html import escape

from chalicelib.catalogue.model import PerformanceDetail
from chalicelib.core.clock import BRUSSELS
from chalicelib.core.i18n import pick
from chalicelib.core.money import format_eur
from chalicelib.orders.model import Order

_TEXT = {
    "nl": {
        "subject": "Je tickets voor {title}",
        "hello": "Dag {name},",
        "thanks": "Bedankt voor je bestelling bij {house}. Hier zijn je tickets:",
        "when": "Wanneer",
        "where": "Waar",
        "total": "Totaal",
        "vat": "waarvan btw",
        "link": "Je tickets (pdf) en je bestelling:",
        "order": "Bestelnummer",
        "sorry_subject": "Je bestelling voor {title} is terugbetaald",
        "sorry": (
            "Het spijt ons: je betaling kwam binnen nadat je plaatsen vrijgegeven waren, en ze "
            "zijn intussen verkocht. We hebben het volledige bedrag ({total}) teruggestort."
        ),
        "cancel_subject": "Je bestelling voor {title} is geannuleerd",
        "cancelled": "Je bestelling voor {title} op {when} is geannuleerd; je tickets zijn niet "
        "meer geldig.",
        "refund": "We storten {amount} terug op de rekening waarmee je betaalde.",
        "no_refund": "Er wordt niets teruggestort.",
        "bye": "Tot gauw,",
    },
    "fr": {
        "subject": "Vos billets pour {title}",
        "hello": "Bonjour {name},",
        "thanks": "Merci pour votre commande chez {house}. Voici vos billets :",
        "when": "Quand",
        "where": "Où",
        "total": "Total",
        "vat": "dont TVA",
        "link": "Vos billets (pdf) et votre commande :",
        "order": "Numéro de commande",
        "sorry_subject": "Votre commande pour {title} a été remboursée",
        "sorry": (
            "Nous sommes désolés : votre paiement est arrivé après la libération de vos places, "
            "qui ont entre-temps été vendues. Nous avons remboursé le montant total ({total})."
        ),
        "cancel_subject": "Votre commande pour {title} est annulée",
        "cancelled": "Votre commande pour {title} du {when} est annulée ; vos billets ne sont "
        "plus valables.",
        "refund": "Nous remboursons {amount} sur le compte utilisé pour le paiement.",
        "no_refund": "Aucun montant n'est remboursé.",
        "bye": "À bientôt,",
    },
    "en": {
        "subject": "Your tickets for {title}",
        "hello": "Hello {name},",
        "thanks": "Thank you for your order at {house}. Here are your tickets:",
        "when": "When",
        "where": "Where",
        "total": "Total",
        "vat": "of which VAT",
        "link": "Your tickets (PDF) and your order:",
        "order": "Order number",
        "sorry_subject": "Your order for {title} has been refunded",
        "sorry": (
            "We are sorry: your payment arrived after your seats had been released, and they "
            "have been sold since. We have refunded the full amount ({total})."
        ),
        "cancel_subject": "Your order for {title} has been cancelled",
        "cancelled": "Your order for {title} on {when} has been cancelled; your tickets are no "
        "longer valid.",
        "refund": "We are refunding {amount} to the account you paid with.",
        "no_refund": "Nothing is refunded.",
        "bye": "See you soon,",
    },
}


class ConfirmationMails:
    def confirmation(
        self, order: Order, detail: PerformanceDetail, link: str
    ) -> tuple[str, str, str]:
        lang = order.customer.language
        t = _TEXT.get(lang, _TEXT["nl"])
        title = pick(detail.production.title, lang)
        when = detail.performance.starts_at.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M")
        where = f"{detail.venue.name}, {detail.hall.name}, {detail.venue.city}"
        lines = [
            f"- {line.label} — {line.tariff_name} — {format_eur(line.total_cents, lang)}"
            for line in order.lines
        ]
        text = "\n".join(
            [
                t["hello"].format(name=order.customer.name),
                "",
                t["thanks"].format(house=detail.house.name),
                "",
                title,
                f"{t['when']}: {when}",
                f"{t['where']}: {where}",
                *lines,
                f"{t['total']}: {format_eur(order.total_cents, lang)} "
                f"({t['vat']} {format_eur(order.vat_cents, lang)})",
                "",
                t["link"],
                link,
                f"{t['order']}: {order.id}",
                "",
                t["bye"],
                detail.house.name,
            ]
        )
        return t["subject"].format(title=title), text, _html(text)

    def apology(self, order: Order, detail: PerformanceDetail) -> tuple[str, str, str]:
        lang = order.customer.language
        t = _TEXT.get(lang, _TEXT["nl"])
        title = pick(detail.production.title, lang)
        text = "\n".join(
            [
                t["hello"].format(name=order.customer.name),
                "",
                t["sorry"].format(total=format_eur(order.total_cents, lang)),
                f"{t['order']}: {order.id}",
                "",
                t["bye"],
                detail.house.name,
            ]
        )
        return t["sorry_subject"].format(title=title), text, _html(text)

    def cancellation(
        self, order: Order, detail: PerformanceDetail, refunded_cents: int
    ) -> tuple[str, str, str]:
        """Staff cancelled the order: the tickets are void, and what comes back."""
        lang = order.customer.language
        t = _TEXT.get(lang, _TEXT["nl"])
        title = pick(detail.production.title, lang)
        when = detail.performance.starts_at.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M")
        money = (
            t["refund"].format(amount=format_eur(refunded_cents, lang))
            if refunded_cents
            else t["no_refund"]
        )
        text = "\n".join(
            [
                t["hello"].format(name=order.customer.name),
                "",
                t["cancelled"].format(title=title, when=when),
                money,
                f"{t['order']}: {order.id}",
                "",
                t["bye"],
                detail.house.name,
            ]
        )
        return t["cancel_subject"].format(title=title), text, _html(text)


def _html(text: str) -> str:
    paragraphs = "".join(
        f"<p>{escape(block).replace(chr(10), '<br>')}</p>" for block in text.split("\n\n")
    )
    return f'<!doctype html><html><body style="font-family:sans-serif">{paragraphs}</body></html>'
