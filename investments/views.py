from django.shortcuts import get_object_or_404, render

from investments.models import Proposal, Strategy
from investments.services.summary import summary_rows
from portal.roles import Role, role_required


@role_required(Role.MEMBER)
def overview(request):
    strategy = Strategy.objects.prefetch_related("proposals").first()
    rows, total = summary_rows(strategy) if strategy else ([], None)
    return render(request, "investments/overview.html", {"strategy": strategy, "rows": rows, "total": total})


@role_required(Role.MEMBER)
def proposal_detail(request, number):
    proposal = get_object_or_404(Proposal.objects.select_related("strategy"), number=number)
    return render(
        request,
        "investments/proposal_detail.html",
        {"proposal": proposal, "figures": proposal.figures.all()},
    )
