"""The need catalogue (002: 服务需求采集与评估, 服务资源分类): the basic services a household
can ask for, with their Chinese and English names."""

from __future__ import annotations

from canlian.common.events.needs import ServiceKind

CATEGORIES: dict[ServiceKind, tuple[str, str]] = {
    ServiceKind.REHABILITATION: ("康复服务", "Rehabilitation"),
    ServiceKind.ASSISTIVE_DEVICES: ("辅助器具适配", "Assistive devices"),
    ServiceKind.EDUCATION: ("教育(含特殊教育)", "Education"),
    ServiceKind.EMPLOYMENT: ("就业服务", "Employment"),
    ServiceKind.SOCIAL_SECURITY: ("社会保障(两项补贴、低保、医保)", "Social security"),
    ServiceKind.CARE: ("托养照料", "Care"),
    ServiceKind.POVERTY_RELIEF: ("困难救助", "Poverty relief"),
    ServiceKind.ACCESSIBILITY: ("家庭无障碍改造", "Accessibility renovation"),
    ServiceKind.LEGAL_AID: ("法律援助与维权", "Legal aid"),
    ServiceKind.CULTURE_SPORTS: ("文化体育", "Culture and sports"),
}
