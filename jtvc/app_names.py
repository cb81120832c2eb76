"""Plain names in the admin for the sign-in apps we install (their own configs have none,
so the admin showed "AXES" and "OTP_TOTP"). Same app labels, so nothing else changes."""

from axes.apps import AppConfig as AxesConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class SignInAttemptsConfig(AxesConfig):
    verbose_name = "Sign-in attempts"


class TwoStepSignInConfig(TOTPConfig):
    verbose_name = "Two-step sign-in"
