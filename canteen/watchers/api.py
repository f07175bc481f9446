from starlette.responses import Response

from canteen.alerts.api import alert_out
from canteen.errors import AlreadyWatching, NotAWatcher, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf
from canteen.watchers import service
from canteen.watchers.models import Watcher
from canteen.watchers.schemas import WatchedOut, WatcherIn, WatcherOut


def watcher_out(watcher: Watcher) -> WatcherOut:
    return WatcherOut(
        diner_id=watcher.diner_id,
        user_id=watcher.user_id,
        username=watcher.user.username,
        display_name=watcher.user.display_name,
        phone=watcher.user.phone,
        relation=watcher.relation,  # type: ignore[arg-type]
        created_at=watcher.created_at,
    )


async def add_watcher(call: Call) -> WatcherOut:
    body: WatcherIn = call.body
    watcher = await service.add_watcher(
        call.actor, call.path("diner_id"), body.user_id, body.relation
    )
    return watcher_out(watcher)


async def list_watchers(call: Call) -> ListOf[WatcherOut]:
    watchers = await service.watchers_of(call.actor, call.path("diner_id"))
    return ListOf[WatcherOut](items=[watcher_out(w) for w in watchers], next_cursor=None)


async def remove_watcher(call: Call) -> Response:
    await service.remove_watcher(call.actor, call.path("diner_id"), call.path("user_id"))
    return Response(status_code=204)


async def my_watched(call: Call) -> ListOf[WatchedOut]:
    items = [
        WatchedOut(
            diner_id=w.diner.id,
            name=w.diner.name,
            address=w.diner.address,
            phone=w.diner.phone,
            relation=w.relation,  # type: ignore[arg-type]
            today=w.today,
            ate_today=w.ate_today,
            meals_today=w.meals_today,
            open_alerts=[alert_out(a) for a in w.cases],
        )
        for w in await service.my_watched(call.actor)
    ]
    return ListOf[WatchedOut](items=items, next_cursor=None)


ENDPOINTS = [
    Endpoint(
        "POST",
        "/diners/{diner_id:int}/watchers",
        add_watcher,
        "Make a volunteer or staff user a watcher of an elder (楼栋长, 网格员, 红马甲, 邻居)",
        action="watchers.manage",
        body=WatcherIn,
        response=WatcherOut,
        status=201,
        errors=(NotFound, NotAWatcher, AlreadyWatching),
    ),
    Endpoint(
        "GET",
        "/diners/{diner_id:int}/watchers",
        list_watchers,
        "The people watching over an elder",
        action="watchers.read",
        response=ListOf[WatcherOut],
        errors=(NotFound,),
    ),
    Endpoint(
        "DELETE",
        "/diners/{diner_id:int}/watchers/{user_id:int}",
        remove_watcher,
        "Stop a user watching over an elder (audited)",
        action="watchers.manage",
        status=204,
        errors=(NotFound,),
    ),
    Endpoint(
        "GET",
        "/me/watched",
        my_watched,
        "The elders I watch over: today's meals and the open cases (volunteer, staff)",
        action="me.watched",
        response=ListOf[WatchedOut],
    ),
]
