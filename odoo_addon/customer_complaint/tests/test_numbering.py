from datetime import date, datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.tests import tagged

from complaint_core.numbering import parse_number

from .common import ComplaintCase


@tagged("post_install", "-at_install", "customer_complaint")
class TestNumbering(ComplaintCase):
    def test_number_uses_the_local_date(self):
        """18 Jan 17:00 UTC is 19 Jan 01:00 in Shanghai: the number says 260119."""
        with freeze_time("2026-01-18 17:00:00"):
            c = self.make(received_at=datetime(2026, 1, 18, 17, 0))
        self.assertRegex(c.name, r"^260119\d{3,}$")
        policy = self.env["complaint.policy"]._complaint_policy()
        on, seq = parse_number(policy.numbering, c.name)
        self.assertEqual(on, date(2026, 1, 19))
        self.assertGreaterEqual(seq, 1)

    def test_consecutive_widens_past_999_and_resets_yearly(self):
        with freeze_time("2031-03-01 02:00:00"):
            first = self.make(received_at=datetime(2031, 3, 1, 1, 0))
            second = self.make(received_at=datetime(2031, 3, 1, 2, 0))
        self.assertEqual(first.name, "310301001")
        self.assertEqual(second.name, "310301002")
        seq = self.env.ref("customer_complaint.seq_customer_complaint")
        year = seq.date_range_ids.filtered(lambda r: r.date_from == date(2031, 1, 1))
        self.assertEqual(year.date_to, date(2031, 12, 31))
        year.number_next_actual = 999
        with freeze_time("2031-12-31 02:00:00"):
            n999 = self.make(received_at=datetime(2031, 12, 31, 1, 0))
            n1000 = self.make(received_at=datetime(2031, 12, 31, 2, 0))
        self.assertEqual(n999.name, "311231999")
        self.assertEqual(n1000.name, "3112311000")  # widens, stays unique
        with freeze_time("2032-01-01 02:00:00"):
            new_year = self.make(received_at=datetime(2032, 1, 1, 2, 0))
        self.assertEqual(new_year.name, "320101001")  # resets every year

    def test_concurrent_registrations_get_distinct_numbers(self):
        """Two transactions registering at the same time (neither committed)
        never get the same number: the counter is a PostgreSQL sequence."""
        today = fields.Date.context_today(self.env["res.users"])
        seq = self.env.ref("customer_complaint.seq_customer_complaint")
        if not seq.date_range_ids.filtered(lambda r: r.date_from <= today <= r.date_to):
            self.skipTest("the numbering range of this year is made at install time")
        db = sql_db.db_connect(self.env.cr.dbname)
        numbers = []
        with db.cursor() as cr1, db.cursor() as cr2:
            try:
                for cr in (cr1, cr2):
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    # a partner of its own without e-mail: the acknowledgement (which
                    # locks the customer's row for its portal signup token, as every
                    # Odoo portal notice does) is not what this test is about
                    partner = env["res.partner"].create({"name": "Concurrent customer"})
                    c = env["customer.complaint"].create(
                        {
                            "partner_id": partner.id,
                            "description": "concurrent",
                            "received_at": fields.Datetime.now(),
                        }
                    )
                    numbers.append(c.name)
            finally:
                cr1.rollback()
                cr2.rollback()
        self.assertEqual(len(numbers), 2)
        self.assertNotEqual(numbers[0], numbers[1])
        self.assertEqual(numbers[0][:6], numbers[1][:6])
