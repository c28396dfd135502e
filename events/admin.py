from django.contrib import admin

from events.models import Fair, FairSeries, GroupSeat, Meeting, Partner, ProgrammeItem, Project

admin.site.register([FairSeries, Fair, ProgrammeItem, Project, Partner, GroupSeat, Meeting])
