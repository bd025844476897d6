import { Text, View } from '@tarojs/components'

export default function Index() {
  return (
    <View id='minimal-ready'>
      <Text>Product list</Text>
    </View>
  )
}
