from django.contrib import admin

from investments.models import Proposal, Strategy, YearlyFigure

admin.site.register([Strategy, Proposal, YearlyFigure])
