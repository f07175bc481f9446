"""Notifications that reach a phone: SMS (Aliyun ``SendSms``) and WeChat subscription messages,
as channels of the alerts' outbox, and each family user's choice of them."""
