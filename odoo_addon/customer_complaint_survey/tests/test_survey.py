"""The satisfaction survey of the follow-up (SPEC §5 回访), on real Odoo: the
follow-up step sends it to the customer in their language, the completed survey
writes the complaint's satisfaction (the core's overall figure) and rate (the
core's satisfaction rate), a dissatisfied answer is handled as the policy says,
and nobody outside can reach a complaint through a survey."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.customer_complaint.tests.common import ComplaintCase

from complaint_core.stats import satisfaction_rate

PREFIX = "customer_complaint_survey."
CODES = ("timeliness", "attitude", "result", "overall")


@tagged("post_install", "-at_install", "customer_complaint_survey")
class TestComplaintSurvey(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref(PREFIX + "survey_complaint_satisfaction")
        cls.questions = {code: cls.env.ref(f"{PREFIX}survey_question_{code}") for code in CODES}
        cls.comments = cls.env.ref(PREFIX + "survey_question_comments")
        cls.public = cls.env.ref("base.public_user")
        cls.Mail = cls.env["mail.mail"]
        cls.UserInput = cls.env["survey.user_input"]

    # -- helpers ---------------------------------------------------------------------

    def _remedy_done(self, **vals):
        """A complaint walked to remedy done (one-stage approval, accepted remedy)."""
        c = self._proposed(category_id=self.cat_delivery.id, **vals)
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        c.with_user(self.handler).action_remedy_done()
        self.assertEqual(c.state, "remedy_done")
        return c

    def _followed_up(self, **vals):
        c = self._remedy_done(**vals)
        c.with_user(self.handler).action_follow_up()
        self.assertEqual(c.state, "follow_up")
        return c

    def _inputs(self, complaint):
        return self.UserInput.search([("complaint_id", "=", complaint.id)])

    def _survey_mails(self, user_input):
        return self.Mail.search(
            [("model", "=", "survey.user_input"), ("res_id", "=", user_input.id)]
        )

    def _answer(self, user_input, values, comment=None):
        """The customer answers as the survey pages do: as the public user, on the
        answer found by its token (sudo), then submits."""
        answer = user_input.with_user(self.public).sudo()
        for code, value in values.items():
            question = self.questions[code]
            choice = question.suggested_answer_ids.filtered(
                lambda a, v=value: a.complaint_scale_value == str(v)
            )
            self.assertEqual(len(choice), 1, f"{code}: one answer for {value}")
            answer._save_lines(question, choice.id)
        if comment is not None:
            answer._save_lines(self.comments, comment)
        answer._mark_done()
        return answer

    # -- sending -----------------------------------------------------------------------

    def test_follow_up_sends_the_survey_to_the_customer(self):
        c = self._followed_up()
        user_input = self._inputs(c)
        self.assertEqual(len(user_input), 1)
        self.assertEqual(user_input.survey_id, self.survey)
        self.assertEqual(user_input.partner_id, self.customer)
        self.assertEqual(user_input.complaint_follow_up_at, c.follow_up_at)
        self.assertEqual(user_input.state, "new")
        self.assertEqual(c.follow_up_method, "survey")
        self.assertEqual(c.survey_state, "sent")
        mail = self._survey_mails(user_input)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(c.name, mail.subject)
        self.assertIn("how satisfied are you", mail.subject)
        self.assertIn(f"answer_token={user_input.access_token}", mail.body_html)
        self.assertIn(user_input.get_base_url() + "/survey/start/", mail.body_html)
        self.assertIn("Answer the survey", mail.body_html)
        self.assertIn("Satisfaction survey", c.message_ids[0].body, "the chatter says it was sent")

    def test_survey_mail_in_the_customers_language(self):
        """A zh_CN customer reads the invitation (and the survey link's pages) in Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_complaint_survey"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"
        c = self._followed_up()
        user_input = self._inputs(c)
        mail = self._survey_mails(user_input)
        self.assertEqual(len(mail), 1)
        self.assertIn("满意", mail.subject)
        self.assertIn(c.name, mail.subject)
        self.assertIn("填写问卷", mail.body_html)
        self.assertNotIn("Answer the survey", mail.body_html)
        self.assertIn(f"/zh_CN/survey/start/{self.survey.access_token}", mail.body_html)
        self.assertIn(f"answer_token={user_input.access_token}", mail.body_html)
        # and the survey's questions and answers are Chinese for the customer
        zh = self.survey.with_context(lang="zh_CN")
        self.assertEqual(zh.title, "客户满意度回访")
        overall = self.questions["overall"].with_context(lang="zh_CN")
        self.assertEqual(overall.title, "总体满意度")
        self.assertEqual(
            overall.suggested_answer_ids.mapped("value"),
            ["非常满意", "满意", "一般", "不满意", "非常不满意"],
        )

    def test_no_survey_without_email(self):
        self.customer.email = False
        c = self._followed_up()
        self.assertFalse(self._inputs(c))
        self.assertFalse(self.Mail.search([("model", "=", "survey.user_input")]))
        self.assertFalse(c.follow_up_method)
        self.assertIn("could not be sent", c.message_ids[0].body)
        self.assertIn("has no e-mail address", c.message_ids[0].body)

    def test_sent_once_per_follow_up(self):
        c = self._followed_up()
        with self.assertRaises(UserError):
            c.with_user(self.handler).action_follow_up()
        c._send_satisfaction_survey()  # and the sending itself never repeats for a follow-up
        self.assertEqual(len(self._inputs(c)), 1)
        self.assertEqual(len(self._survey_mails(self._inputs(c))), 1)

    def test_other_method_or_no_survey_sends_nothing(self):
        """A rep who chose a phone call records the answer by hand; a company whose
        settings name no survey sends none."""
        c = self._remedy_done()
        c.with_user(self.handler).follow_up_method = "phone"
        c.with_user(self.handler).action_follow_up()
        self.assertFalse(self._inputs(c))
        c.with_user(self.handler).satisfaction = "5"
        self.assertEqual(c.satisfaction, "5")

        policy = self.env["complaint.policy"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ) or self.env["complaint.policy"].create({"company_id": self.env.company.id})
        self.assertEqual(policy.satisfaction_survey_id, self.survey, "the shipped survey")
        self.survey.active = False  # archived: the step is taken, a note says why no survey
        archived = self._followed_up()
        self.assertFalse(self._inputs(archived))
        self.assertIn("is archived", archived.message_ids[0].body)
        policy.satisfaction_survey_id = False
        other = self._followed_up()
        self.assertFalse(self._inputs(other))

    # -- answers -----------------------------------------------------------------------

    def test_satisfied_answers_land_on_the_complaint(self):
        c = self._followed_up()
        user_input = self._inputs(c)
        self._answer(user_input, dict.fromkeys(CODES, 4), comment="Quick and friendly.")
        self.assertEqual(user_input.state, "done")
        self.assertEqual(c.satisfaction, "4")
        self.assertEqual(c.satisfaction_rate, 100.0)
        self.assertEqual(c.state, "follow_up")
        self.assertEqual(c.survey_state, "done")
        answers = c.survey_answer_ids
        self.assertEqual(answers.sorted("sequence").mapped("question_code"), [*CODES, "comments"])
        self.assertEqual(
            answers.filtered(lambda a: a.question_code != "comments").mapped("value"),
            [4, 4, 4, 4],
        )
        self.assertEqual(set(answers.mapped("answer")), {"Satisfied", "Quick and friendly."})
        self.assertFalse(any(answers.mapped("voided")))
        # the case can be closed by the handler now (satisfied)
        c.with_user(self.handler).action_close()
        self.assertEqual(c.state, "closed")

    def test_rate_and_overall_come_from_the_core(self):
        c = self._followed_up()
        values = {"timeliness": 5, "attitude": 4, "result": 3, "overall": 4}
        self._answer(self._inputs(c), values)
        expected = satisfaction_rate(values.values(), c._policy())
        self.assertEqual(c.satisfaction_rate, float(expected * 100))
        self.assertEqual(c.satisfaction_rate, 75.0)
        # the statistics count every scale answer (SPEC §5), the pivot their ratio
        self.assertEqual((c.satisfied_count, c.satisfaction_answered), (3, 4))
        self.assertEqual(sorted(c._stats_records()[0].satisfaction), sorted(values.values()))
        self.assertEqual(c.satisfaction, "4", "the Overall answer")

    def test_dissatisfied_answer_reopens_the_case(self):
        """Default policy: "不满意" overall reopens the case as the customer's own
        step (a re-complaint); the answers no longer hold, they are kept voided."""
        c = self._followed_up()
        values = {"timeliness": 4, "attitude": 4, "result": 2, "overall": 2}
        self._answer(self._inputs(c), values, comment="The seal leaks again.")
        self.assertEqual(c.state, "investigating")
        self.assertTrue(c.recomplaint)
        reopen = c.audit_ids.sorted("id")[-1]
        self.assertEqual((reopen.action, reopen.from_state), ("reopen", "follow_up"))
        self.assertEqual(reopen.partner_id, self.customer)
        # once: the main module's hand-recorded path does not apply the policy again
        self.assertEqual(len(c.audit_ids.filtered(lambda e: e.action == "reopen")), 1)
        self.assertFalse(c.activity_ids.filtered(lambda a: "Dissatisfied" in (a.summary or "")))
        self.assertFalse(c.satisfaction, "the core clears the answer of the round")
        self.assertEqual(len(c.survey_answer_ids), 5)
        self.assertTrue(all(c.survey_answer_ids.mapped("voided")))
        self.assertEqual(
            c.survey_answer_ids.filtered(lambda a: a.question_code == "overall").value, 2
        )
        self.assertIn("Dissatisfied", " ".join(c.message_ids.mapped("body")))

    def test_dissatisfied_answer_asks_the_manager(self):
        """Policy "a manager decides": the case stays at follow-up with the answer,
        and the department's manager gets the to-do."""
        policy = self.env["complaint.policy"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ) or self.env["complaint.policy"].create({"company_id": self.env.company.id})
        policy.dissatisfied_response = "manager_decides"
        c = self._followed_up()
        self._answer(self._inputs(c), {"timeliness": 3, "attitude": 3, "result": 3, "overall": 1})
        self.assertEqual(c.state, "follow_up")
        self.assertEqual(c.satisfaction, "1")
        self.assertEqual(c.satisfaction_rate, 0.0)
        activity = c.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("Dissatisfied customer", activity.summary)
        self.assertFalse(any(c.survey_answer_ids.mapped("voided")))

    def test_late_answer_changes_nothing(self):
        """The case moved on (closed by hand) before the customer answered: the
        answers are kept, voided, and the satisfaction stays."""
        c = self._followed_up()
        c.with_user(self.handler).satisfaction = "5"
        c.with_user(self.handler).action_close()
        self._answer(self._inputs(c), dict.fromkeys(CODES, 1))
        self.assertEqual(c.state, "closed")
        self.assertEqual(c.satisfaction, "5")
        self.assertTrue(c.survey_answer_ids)
        self.assertTrue(all(c.survey_answer_ids.mapped("voided")))
        # the voided answers count for nothing: the satisfaction recorded by hand does
        self.assertEqual(c.satisfaction_rate, 100.0)
        self.assertEqual((c.satisfied_count, c.satisfaction_answered), (1, 1))
        self.assertIn("change nothing", c.message_ids[0].body)

    # -- who may do what -----------------------------------------------------------------

    def test_answers_are_written_by_the_survey_only(self):
        c = self._followed_up()
        self._answer(self._inputs(c), dict.fromkeys(CODES, 5))
        rep = c.with_user(self.rep)
        self.assertEqual(rep.satisfaction_rate, 100.0)
        self.assertEqual(len(rep.survey_answer_ids), 4)
        with self.assertRaises(UserError):
            rep.write({"satisfaction_rate": 0.0})
        with self.assertRaises(UserError):
            rep.write({"survey_answer_ids": [(0, 0, {"question": "x", "value": 1})]})
        with self.assertRaises(AccessError):
            self.env["complaint.survey.answer"].with_user(self.manager).create(
                {"complaint_id": c.id, "question": "x", "value": 1}
            )
        with self.assertRaises(AccessError):
            c.survey_answer_ids.with_user(self.manager).write({"value": 1})

    def test_answers_follow_the_complaint_visibility(self):
        c = self._followed_up()
        self._answer(self._inputs(c), dict.fromkeys(CODES, 5))
        outsider = new_test_user(
            self.env, "cc_outsider", groups="customer_complaint.group_complaint_sales_rep"
        )
        Answer = self.env["complaint.survey.answer"]
        self.assertEqual(
            Answer.with_user(self.rep).search([("complaint_id", "=", c.id)]), c.survey_answer_ids
        )
        self.assertFalse(Answer.with_user(outsider).search([("complaint_id", "=", c.id)]))
        with self.assertRaises(AccessError):
            c.survey_answer_ids.with_user(outsider).read(["value"])

    def test_the_public_cannot_reach_a_complaint_through_a_survey(self):
        """Public and portal users have no access to survey answers (they answer on
        the survey pages with a token); nobody can point an answer at a complaint."""
        c = self._followed_up()
        user_input = self._inputs(c)
        other = self._remedy_done()
        portal = new_test_user(self.env, "cc_portal_customer", groups="base.group_portal")
        for user in (self.public, portal):
            with self.assertRaises(AccessError):
                self.UserInput.with_user(user).search([("complaint_id", "=", c.id)])
            with self.assertRaises(AccessError):
                user_input.with_user(user).read(["complaint_id"])
            with self.assertRaises(AccessError):
                user_input.with_user(user).check_access("write")
            with self.assertRaises(AccessError):
                user_input.with_user(user).write({"complaint_id": other.id})
            with self.assertRaises(AccessError):
                self.env["complaint.survey.answer"].with_user(user).search([])
            with self.assertRaises(AccessError):
                c.with_user(user).read(["satisfaction"])
        # a survey officer may edit survey answers, but not their complaint link
        officer = new_test_user(
            self.env,
            "cc_survey_officer",
            groups="survey.group_survey_user,customer_complaint.group_complaint_sales_rep",
        )
        with self.assertRaisesRegex(UserError, "never by hand"):
            user_input.with_user(officer).write({"complaint_id": other.id})
        with self.assertRaisesRegex(UserError, "never by hand"):
            user_input.with_user(officer).write({"complaint_follow_up_at": False})
        with self.assertRaisesRegex(UserError, "never by hand"):
            self.UserInput.with_user(officer).create(
                {"survey_id": self.survey.id, "complaint_id": other.id}
            )
        # the customer's answer lands on the complaint it was sent for, only
        self._answer(user_input, dict.fromkeys(CODES, 1))
        self.assertEqual(user_input.complaint_id, c)
        self.assertFalse(other.survey_answer_ids)
        self.assertFalse(other.satisfaction)

    def test_smart_button_for_survey_officers(self):
        c = self._followed_up()
        officer = new_test_user(
            self.env,
            "cc_survey_officer2",
            groups="survey.group_survey_user,customer_complaint.group_complaint_admin",
        )
        mine = c.with_user(officer)
        self.assertEqual(mine.survey_user_input_count, 1)
        action = mine.action_view_survey_answers()
        self.assertEqual(action["res_model"], "survey.user_input")
        self.assertEqual(action["res_id"], self._inputs(c).id)

    def test_anonymising_keeps_the_scale_answers_only(self):
        """SPEC §6: at the end of retention the customer's comment and who answered
        go; the scale answers and the satisfaction rate (statistics) stay."""
        c = self._followed_up()
        user_input = self._inputs(c)
        self._answer(user_input, dict.fromkeys(CODES, 4), comment="Call Li Lei on 138 0000 0000")
        c.with_user(self.handler).action_close()
        rate = c.satisfaction_rate
        far = c.closed_at.replace(year=c.closed_at.year + 4)
        self.env["customer.complaint"]._archive_expired(now=far)  # (demo cases too)
        self.assertFalse(c.active)
        self.assertTrue(c.anonymised_at)
        answers = c.survey_answer_ids
        self.assertEqual(
            answers.filtered(lambda a: a.question_code != "comments").mapped("value"),
            [4, 4, 4, 4],
        )
        self.assertEqual(set(answers.mapped("answer")), {"Satisfied", False})
        self.assertEqual(c.satisfaction_rate, rate)
        self.assertEqual(c.satisfaction, "4")
        self.assertFalse(user_input.partner_id or user_input.email)
        self.assertFalse(
            user_input.user_input_line_ids.filtered(lambda line: line.answer_type == "text_box")
        )
        self.assertEqual(len(user_input.user_input_line_ids), 4)

    def test_anonymising_closes_the_old_answer_link_and_drops_the_invitation(self):
        """The customer's answer link (in the invitation mail) opens nothing after
        anonymising: the survey pages find an answer by its access token only; and
        the invitation mail (the customer's address, the link) is gone."""
        c = self._followed_up()
        user_input = self._inputs(c)
        token = user_input.access_token
        invitations = self._survey_mails(user_input)
        self.assertTrue(invitations)
        self.assertIn(token, invitations.body_html)
        self._answer(user_input, dict.fromkeys(CODES, 5))
        c.with_user(self.handler).action_close()
        far = c.closed_at.replace(year=c.closed_at.year + 4)
        self.env["customer.complaint"]._archive_expired(now=far)
        self.assertFalse(c.active)
        self.assertTrue(user_input.access_token)
        self.assertNotEqual(user_input.access_token, token)
        # what the survey controller does with the old link's token: nothing found
        self.assertFalse(
            self.UserInput.sudo().search(
                [("survey_id", "=", self.survey.id), ("access_token", "=", token)]
            )
        )
        self.assertFalse(invitations.exists())
        self.assertFalse(self._survey_mails(user_input))
        self.assertNotIn(self.customer, user_input.message_partner_ids)
        # the scale answers (the statistics) are kept
        self.assertEqual(c.satisfaction, "5")
        self.assertEqual(user_input.state, "done")
