import { Image, Text, View } from '@tarojs/components'
import { observer } from 'mobx-react'
import { serverPhotoPath } from '../rules/photo-ref'
import { usePhotoUrl } from './photo-field'

/** A photo on the server, fetched with the session (never through page state as data). */
export const RemotePhoto = observer(function RemotePhoto({ uploadId, label }: { uploadId: string; label: string }) {
  const url = usePhotoUrl(serverPhotoPath(uploadId))
  return (
    <View className='photo'>
      {url ? (
        <Image className='photo__img' src={url} mode='aspectFill' ariaLabel={label} nativeProps={{ alt: label }} />
      ) : (
        <Text className='photo__meta'>{label}</Text>
      )}
    </View>
  )
})
