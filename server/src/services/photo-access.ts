import type { Repos } from '../repo'
import type { UploadRow } from '../repo/uploads'

/**
 * Who may see a photo in the app (GET /api/uploads/:id): the staff member who took it, and a staff member with
 * a Verification Task on the promotion it was submitted with, who compares the deployment with what they find
 * (issue 26, item 6). The console's reviewers see photos through /console.
 */
export async function maySeePhoto(repos: Repos, staffId: string, upload: UploadRow): Promise<boolean> {
  if (upload.staff_id === staffId) return true
  return upload.promotion_id !== null && (await repos.inspections.inspects(staffId, upload.promotion_id))
}
