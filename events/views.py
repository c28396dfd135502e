from django.shortcuts import get_object_or_404, render

from events.models import Fair, FairSeries, Project
from portal.roles import Role, role_required


@role_required(Role.MEMBER)
def fair_list(request):
    series = FairSeries.objects.prefetch_related("fairs", "programme").first()
    return render(request, "events/fair_list.html", {"series": series})


@role_required(Role.MEMBER)
def fair_detail(request, pk):
    fair = get_object_or_404(Fair.objects.select_related("series"), pk=pk)
    return render(request, "events/fair_detail.html", {"fair": fair, "programme": fair.series.programme.all()})


@role_required(Role.MEMBER)
def project(request):
    project = Project.objects.prefetch_related("partners", "seats", "meetings").first()
    return render(request, "events/project.html", {"project": project})
