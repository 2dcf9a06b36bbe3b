"""Static compute catalog: machine plans, regions and marketplace apps."""

from __future__ import annotations

from ._state import JSON

REGIONS = ["any", "us-east", "us-west", "eu-central", "ap-south"]
CATEGORIES = ["Database", "Node", "Tools", "AI"]


def _machine(
    ident: int, name: str, cpu: float, memory: str, storage: str, daily: float, **extra: object
) -> JSON:
    return {
        "_id": f"65b0{ident:020x}",
        "name": name,
        "cpu": cpu,
        "memory": memory,
        "storage": storage,
        "maxPricePerBlock": round(daily / 14_400 * 1.2, 9),
        "defaultDailyTopUp": daily,
        **extra,
    }


MACHINES: list[JSON] = [
    _machine(1, "Ventus Nano 1", 1, "2Gi", "10Gi", 1.5),
    _machine(2, "Ventus Small 1", 2, "4Gi", "20Gi", 3.0),
    _machine(3, "Ventus Medium 1", 4, "8Gi", "40Gi", 6.0),
    _machine(
        4,
        "Ventus GPU 4090",
        8,
        "32Gi",
        "100Gi",
        24.0,
        gpu={
            "units": 1,
            "vendor": "nvidia",
            "model": "rtx4090",
            "totalUnits": 8,
            "availableUnits": 5,
        },
    ),
]
MACHINE_REGIONS = {
    "Ventus Nano 1": REGIONS[1:],
    "Ventus Small 1": REGIONS[1:],
    "Ventus Medium 1": ["us-east", "eu-central"],
    "Ventus GPU 4090": ["us-west"],
}


def machine_by(*, name: str | None = None, ident: str | None = None) -> JSON | None:
    for machine in MACHINES:
        if machine["name"] == name or machine["_id"] == ident:
            return machine
    return None


def _app(
    ident: int,
    name: str,
    category: str,
    image: str,
    tag: str,
    port: int,
    variables: list[JSON],
    description: str,
) -> JSON:
    app_id = f"65c0{ident:020x}"
    return {
        "_id": app_id,
        "name": name,
        "metadata": {
            "description": description,
            "icon": f"https://icons.spheron-test.invalid/{image}.svg",
            "image": f"https://images.spheron-test.invalid/{image}.png",
            "docsLink": f"https://docs.spheron-test.invalid/{image}",
            "websiteLink": f"https://{image}.example.com",
            "category": category,
            "usage": 100 - ident,
        },
        "services": [
            {
                "_id": f"65c1{ident:020x}",
                "metadata": {
                    "icon": f"https://icons.spheron-test.invalid/{image}.svg",
                    "name": name,
                },
                "defaultAkashMachineImageId": MACHINES[1]["_id"],
                "dockerImage": image,
                "dockerImageTag": tag,
                "provider": "DOCKERHUB",
                "instanceCount": 1,
                "variables": variables,
                "ports": [
                    {
                        "containerPort": port,
                        "exposedPort": port,
                        "defaultExposeTo": [],
                        "global": True,
                    }
                ],
                "commands": [],
                "args": [],
                "customTemplateSpecs": {"cpu": 2, "memory": "4Gi", "storage": "20Gi"},
            }
        ],
        "priority": ident,
    }


def _var(name: str, label: str, default: str = "", required: bool = True) -> JSON:
    return {
        "name": name,
        "defaultValue": default,
        "label": label,
        "required": "true" if required else "false",
        "hidden": False,
    }


APPS: list[JSON] = [
    _app(
        1,
        "PostgreSQL",
        "Database",
        "postgres",
        "16",
        5432,
        [_var("POSTGRES_PASSWORD", "Password"), _var("POSTGRES_DB", "Database", "app", False)],
        "Relational database.",
    ),
    _app(2, "Redis", "Database", "redis", "7", 6379, [], "In-memory key-value store."),
    _app(
        3,
        "Ollama",
        "AI",
        "ollama/ollama",
        "latest",
        11434,
        [_var("OLLAMA_MODEL", "Model", "llama3", False)],
        "Run open large language models.",
    ),
    _app(4, "Jupyter Notebook", "Tools", "jupyter/base-notebook", "latest", 8888, [], "Notebooks."),
    _app(5, "Geth", "Node", "ethereum/client-go", "stable", 8545, [], "Ethereum execution node."),
]


def app_by_id(app_id: str) -> JSON | None:
    return next((a for a in APPS if a["_id"] == app_id), None)
