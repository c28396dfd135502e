from django.contrib import admin

from plans.models import BenchmarkPeriod, BenchmarkResult, Goal, MinisterGoal, Plan

admin.site.register([Plan, MinisterGoal, BenchmarkPeriod, BenchmarkResult])


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "source", "frequency"]
    list_filter = ["plan", "kind", "source", "frequency"]
