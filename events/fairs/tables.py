"""The fairs' lists as tables; they give the participant and exhibitor downloads (portal.tables' export)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from portal.tables import PortalTable


class ParticipantTable(PortalTable):
    """A fair's confirmed citizens, with the contact details they consented to (caseworkers only)."""

    caption = _("Deltagere")
    name = tables.Column(verbose_name=_("Navn"))
    benefit_group = tables.Column(verbose_name=_("Ydelse"))
    needs_transport = tables.Column(verbose_name=_("Transport"))
    needs_accessibility = tables.Column(verbose_name=_("Tilgængelighed"))
    phone = tables.Column(verbose_name=_("Telefon"))
    email = tables.Column(verbose_name=_("E-mail"))
    attended = tables.Column(verbose_name=_("Mødt op"))

    class Meta(PortalTable.Meta):
        orderable = False


class ExhibitorTable(PortalTable):
    """The associations registered for a fair."""

    caption = _("Udstillere")
    name = tables.Column(verbose_name=_("Kulturaktør"))
    contact_person = tables.Column(verbose_name=_("Kontaktperson"))
    contact = tables.Column(verbose_name=_("Kontakt"))
    offers_activity = tables.Column(verbose_name=_("Tilbud"))
    offers_volunteering = tables.Column(verbose_name=_("Frivilligjob"))
    offers_community = tables.Column(verbose_name=_("Fællesskab"))

    class Meta(PortalTable.Meta):
        orderable = False
