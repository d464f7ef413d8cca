"""Rate measures that aggregate as a ratio of sums (issue 10 §1).

A stored percentage per record (a defect rate, an on-time rate) must not be
added up or averaged by a pivot: the rate of a group is Σ numerator / Σ
denominator of its records, e.g. Σ defective / Σ quantity. A model lists its
rate measures in ``_ratio_measures`` and `_read_group_select` computes them so,
for every ``read_group`` (pivot, graph, list group rows, RPC), like Odoo's
``purchase.report`` does for its average price.
"""

from odoo import models
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

# the aggregates a ratio replaces; min/max/count keep their meaning
RATIO_AGGREGATES = ("sum", "avg")


class ComplaintRatioMixin(models.AbstractModel):
    _name = "complaint.ratio.mixin"
    _description = "Complaint Figures: Rates as Ratios of Sums"

    # rate field -> (numerator field, denominator field, factor): the rate of a
    # group is factor * SUM(numerator) / SUM(denominator), empty when nothing
    # is to be divided by
    _ratio_measures = {}

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec != "__count":
            fname, __, func = parse_read_group_spec(aggregate_spec)
            ratio = self._ratio_measures.get(fname)
            if ratio and func in RATIO_AGGREGATES:
                numerator, denominator, factor = ratio
                return SQL(
                    "(%s * SUM(%s) / NULLIF(SUM(%s), 0))::float8",
                    factor,
                    self._field_to_sql(self._table, numerator, query),
                    self._field_to_sql(self._table, denominator, query),
                )
        return super()._read_group_select(aggregate_spec, query)
