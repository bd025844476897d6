import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../context'
import { requireCapability, viewerOf } from '../guard'
import { renderNotificationLog } from '../render-notifications'
import { sendPage } from '../respond'

/** /console/notifications: the work notifications sent, waiting for a retry, given up, or not sent (no DingTalk). */
export function notificationRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/notifications', { preHandler: requireCapability('notifications') }, async (request, reply) => {
      const dd = ctx.dingtalk
      return sendPage(
        reply,
        200,
        renderNotificationLog(viewerOf(request), {
          rows: await ctx.repos.notifications.newest(200),
          counts: await ctx.repos.notifications.countsByStatus(),
          dingtalk: dd ? `Sent through DingTalk as work notifications of the organisation ${dd.corpId}.` : null,
        }),
      )
    })
  }
}
